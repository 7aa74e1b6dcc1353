"""/stats [period]: the figures coordinators report to funders, and a chart of sign-ups and
attendance per month as a photo. Buttons switch the period."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.keyboards.callbacks import StatsCallback
from bot.keyboards.coordination import stats_periods
from bot.services.coordination import stats
from bot.services.coordination.charts import monthly_chart
from bot.services.coordination.stats import BadPeriodError
from bot.views.stats import bad_period_text, chart_caption, chart_labels, figures_text
from storage.repositories import Repo


async def _send_figures(
    message: Message, typed: str | None, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    try:
        period = stats.parse_period(typed, now=clock.now(), tz=settings.tz)
    except BadPeriodError:
        await message.answer(bad_period_text(), reply_markup=stats_periods())
        return
    figures = await stats.figures(repo, period, now=clock.now())
    await message.answer(figures_text(figures, locale), reply_markup=stats_periods())
    series = await stats.monthly(repo, period, tz=settings.tz)
    if not series.months:
        return
    png = await monthly_chart(series, chart_labels(series.months, locale))
    await message.answer_photo(
        BufferedInputFile(png, filename="samenspel-stats.png"), caption=chart_caption()
    )


async def cmd_stats(
    message: Message,
    command: CommandObject,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The figures of a period (this year by default) and the monthly chart."""
    await _send_figures(message, command.args, repo, clock, settings, locale)


async def cb_period(
    query: CallbackQuery,
    callback_data: StatsCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The figures for the period tapped."""
    await query.answer()
    if isinstance(query.message, Message):
        await _send_figures(query.message, callback_data.period, repo, clock, settings, locale)


def create_router() -> Router:
    router = Router(name="stats")
    coordinator = IsCoordinator()
    router.message.register(cmd_stats, Command("stats", "cijfers"), coordinator)
    router.callback_query.register(cb_period, StatsCallback.filter(), coordinator)
    return router
