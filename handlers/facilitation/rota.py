"""The monthly availability poll (a facilitator ticks days) and the rota it proposes
(/rooster: a coordinator sees it and sends the requests in one tap)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator, IsFacilitator
from bot.i18n import _
from bot.keyboards.callbacks import PollCallback, RotaCallback
from bot.services.facilitation import rota
from bot.views.rota import (
    no_poll_text,
    poll_done_text,
    poll_keyboard,
    rota_keyboard,
    rota_sent_text,
    rota_text,
    rota_usage,
)
from storage.repositories import Repo


async def cb_poll_day(
    query: CallbackQuery,
    callback_data: PollCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """A day of the poll ticked on or off; the buttons show it at once."""
    day = rota.read_day(callback_data.day)  # a forged day is answered by the refusals
    view = await rota.set_day(
        repo, query.from_user.id, callback_data.month, day, callback_data.on,
        now=clock.now(), tz=settings.tz,
    )  # fmt: skip
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=poll_keyboard(view, locale))


async def cb_poll_done(
    query: CallbackQuery,
    callback_data: PollCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """[Klaar]: what was ticked, in words; the days can still be changed."""
    view = await rota.poll_of(
        repo, query.from_user.id, callback_data.month, now=clock.now(), tz=settings.tz
    )
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not view.days:
        await query.message.edit_text(no_poll_text())
        return
    await query.message.edit_text(
        poll_done_text(view, locale), reply_markup=poll_keyboard(view, locale)
    )


async def cmd_rota(
    message: Message,
    command: CommandObject,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """/rooster [maand]: the proposed rota of next month (or of the month named)."""
    now = clock.now()
    typed = command.args
    month = rota.month_named(typed, now=now, tz=settings.tz) if typed else None
    if typed and month is None:
        await message.answer(rota_usage())
        return
    proposal = await rota.rota_of(
        repo, month or rota.month_after(now, settings.tz), now=now, tz=settings.tz
    )
    await message.answer(
        rota_text(proposal, locale, settings.tz), reply_markup=rota_keyboard(proposal)
    )


async def cb_rota(
    query: CallbackQuery,
    callback_data: RotaCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """[Stuur de verzoeken]: a request to each person of the proposal as it is now."""
    if not callback_data.send:
        await query.answer(_("Nothing was sent. /rota shows the proposal again."))
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
        return
    asked = await rota.send_rota(
        repo,
        callback_data.month,
        coordinator_id=query.from_user.id,
        now=clock.now(),
        tz=settings.tz,
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(rota_sent_text(len(asked)))


def create_router() -> Router:
    router = Router(name="facilitation_rota")
    router.callback_query.register(cb_poll_day, PollCallback.filter(F.day != ""), IsFacilitator())
    router.callback_query.register(cb_poll_done, PollCallback.filter(F.day == ""), IsFacilitator())
    router.message.register(cmd_rota, Command("rooster", "rota"), IsCoordinator())
    router.callback_query.register(cb_rota, RotaCallback.filter(), IsCoordinator())
    return router
