"""/stats [period]: the figures coordinators report to funders, and a chart of sign-ups and
attendance per month as a photo. Buttons switch the period."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import StatsCallback
from bot.keyboards.coordination import stats_periods
from bot.notifications.broadcasts import number
from bot.services.coordination import stats
from bot.services.coordination.charts import ChartLabels, monthly_chart
from bot.services.coordination.stats import BadPeriodError, Figures
from bot.views.event_card import theme_label
from bot.views.stats import month_label, period_words
from storage.repositories import Repo


def _percent(value: float | None, locale: str) -> str:
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


def figures_text(f: Figures, locale: str) -> str:
    def n(value: int) -> str:
        return number(value, locale)

    period = period_words(f.period, locale)
    not_yet = _("not available yet")
    lines = [
        _("📊 <b>Figures</b> ({period})").format(period=period),
        "",
        _("👥 People using the bot: {total} ({new} new)").format(
            total=n(f.users_total), new=n(f.users_new)
        ),
        _("🏠 Active initiatives: {count} (possibly outdated: {outdated})").format(
            count=n(f.initiatives), outdated=n(f.initiatives_outdated)
        ),
        _("💬 Dialogue tables: {count}").format(count=n(f.events.get("table", 0))),
        _("🎓 Trainings: {count}").format(count=n(f.events.get("training", 0))),
        _("☕ Meetups: {count}").format(count=n(f.events.get("meetup", 0))),
        _("❌ Called off: {count}").format(count=n(f.events_cancelled)),
        "📍 "
        + _("{locations} in {municipalities}").format(
            locations=ngettext("{count} location", "{count} locations", f.venues).format(
                count=n(f.venues)
            ),
            municipalities=ngettext(
                "{count} municipality", "{count} municipalities", f.municipalities
            ).format(count=n(f.municipalities)),
        ),
        _("🙋 Participants: {people} ({seats} sign-ups)").format(
            people=n(f.participants), seats=n(f.registrations)
        ),
        _("🪑 Fill rate: {rate}").format(rate=_percent(f.fill_rate, locale)),
        _("⏳ On a waitlist now: {waiting}; moved up from the waitlist: {promoted}").format(
            waiting=n(f.waitlisted), promoted=n(f.promotions)
        ),
        _("✅ Attendance: {rate}; no-shows: {no_show} ({no_show_rate})").format(
            rate=_percent(f.attendance_rate, locale),
            no_show=n(f.no_show),
            no_show_rate=_percent(f.no_show_rate, locale),
        ),
        _("🧑‍🏫 Facilitator requests answered: {rate}; median answer time: {time}").format(
            rate=not_yet
            if f.facilitator_answer_rate is None
            else _percent(f.facilitator_answer_rate, locale),
            time=not_yet
            if f.facilitator_median_answer_hours is None
            else _hours(f.facilitator_median_answer_hours, locale),
        ),
    ]
    if f.debriefs:
        lines.append(
            _("📝 Debriefs: {count}, with {people} people at the table").format(
                count=n(f.debriefs), people=n(f.debrief_participants)
            )
        )
    lines += _feedback_lines(f, locale)
    return "\n".join(lines)


SHOWN_PER_GROUP = 5


def _feedback_lines(f: Figures, locale: str) -> list[str]:
    """Average stars overall, per theme and per municipality (the five with most answers)."""
    given = f.feedback
    if not given.answers or given.average is None:
        return []

    def stars(value: float) -> str:
        shown = f"{value:.1f}"
        return shown if locale.startswith("en") else shown.replace(".", ",")

    def group(values: dict[str, tuple[float, int]], label: Callable[[str], str]) -> str:
        return ", ".join(
            f"{label(key)} {stars(average)} ({count})"
            for key, (average, count) in list(values.items())[:SHOWN_PER_GROUP]
        )

    lines = [
        "⭐ "
        + ngettext(
            "How the conversations were: {average} stars on average, {count} answer",
            "How the conversations were: {average} stars on average, {count} answers",
            given.answers,
        ).format(average=stars(given.average), count=number(given.answers, locale))
    ]
    if given.by_theme:
        themes = group(given.by_theme, lambda slug: theme_label(slug, locale))
        lines.append("   " + _("by theme: {values}").format(values=themes))
    places = group(given.by_municipality, lambda name: name)
    lines.append("   " + _("by municipality: {values}").format(values=places))
    return lines


def _hours(value: float, locale: str) -> str:
    shown = f"{value:.1f}"
    if not locale.startswith("en"):
        shown = shown.replace(".", ",")
    return _("{hours} h").format(hours=shown)


async def _send_figures(
    message: Message, typed: str | None, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    try:
        period = stats.parse_period(typed, now=clock.now(), tz=settings.tz)
    except BadPeriodError:
        await message.answer(
            _(
                "I don't understand that period. Try for example: /stats 2026, /stats 2026-03, "
                "/stats 2026-01-01..2026-06-30, or /stats month, year, lastyear, all."
            ),
            reply_markup=stats_periods(),
        )
        return
    figures = await stats.figures(repo, period, now=clock.now())
    await message.answer(figures_text(figures, locale), reply_markup=stats_periods())
    series = await stats.monthly(repo, period, tz=settings.tz)
    if not series.months:
        return
    labels = ChartLabels(
        title=_("Sign-ups and attendance per month"),
        signups=_("Sign-ups"),
        attended=_("Attended"),
        x_axis=_("Month of the event"),
        y_axis=_("Number of people"),
        months=[month_label(month, locale) for month in series.months],
    )
    png = await monthly_chart(series, labels)
    await message.answer_photo(
        BufferedInputFile(png, filename="samenspel-stats.png"),
        caption=_("Sign-ups and attendance per month"),
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
