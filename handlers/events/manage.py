"""Coordinators manage an event: /beheer <id> (card with link, QR code and actions),
and /afgelasten <id> (everyone is told). Changing an event is in `edit.py`, participants and
attendance in `attendance.py`."""

from __future__ import annotations

import io
from typing import Unpack

import segno
from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
)

from bot.clock import Clock
from bot.conversation.commands import need_event_id
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.callbacks import EventAdminAction, EventAdminCallback
from bot.services.events import admin as event_admin
from bot.services.events.registrations import EventNotFoundError
from bot.states import CallOffStates
from bot.views.events import (
    call_off_question,
    called_off_text,
    event_link,
    send_admin_card,
)
from storage.repositories import Repo


async def cmd_manage(
    message: Message,
    command: CommandObject,
    **data: Unpack[HandlerData],
) -> None:
    """Shows the coordinator's card of an event."""
    event_id = await need_event_id(message, command)
    if event_id is None:
        return
    try:
        await send_admin_card(message, event_id, **data)
    except EventNotFoundError:
        await message.answer(_("There is no event with number {id}.").format(id=event_id))


async def cb_qr(query: CallbackQuery, callback_data: EventAdminCallback, bot: Bot) -> None:
    """[QR code]: a PNG to print; scanning it opens the event."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    event_id = callback_data.event_id
    link = await event_link(bot, event_id)
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=4)
    await query.message.answer_photo(
        BufferedInputFile(buffer.getvalue(), filename=f"samenspel-{event_id}.png"),
        caption=_("Print this QR code: scanning it opens the event.") + "\n" + link,
    )


async def _ask_call_off(message: Message, state: FSMContext, event_id: int) -> None:
    await state.set_state(CallOffStates.reason)
    await state.update_data(call_off=event_id, call_off_reason="")
    text, markup = call_off_question(event_id)
    await message.answer(text, reply_markup=markup)


async def cb_call_off(
    query: CallbackQuery, callback_data: EventAdminCallback, state: FSMContext
) -> None:
    """[Call off]: asks to confirm first, with room for a reason."""
    await query.answer()
    if isinstance(query.message, Message):
        await _ask_call_off(query.message, state, callback_data.event_id)


async def reason_entered(message: Message, state: FSMContext) -> None:
    """The reason for calling off: shown back with the same two buttons."""
    data = await state.get_data()
    event_id = int(data.get("call_off") or 0)
    reason = " ".join((message.text or "").split())[:300]
    await state.update_data(call_off_reason=reason)
    text, markup = call_off_question(event_id, reason)
    await message.answer(text, reply_markup=markup)


async def cb_call_off_cancelled(query: CallbackQuery, state: FSMContext) -> None:
    """[No, it goes ahead]: nothing changes."""
    await state.set_state(None)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("OK, the event goes ahead. Nothing has changed."))


async def cb_call_off_confirmed(
    query: CallbackQuery,
    callback_data: EventAdminCallback,
    state: FSMContext,
    repo: Repo,
    clock: Clock,
) -> None:
    """[Yes, call it off]: the event is called off and everyone signed up is told (with the
    reason, if one was typed)."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    reason = await _typed_reason(state, callback_data.event_id)
    await state.set_state(None)
    try:
        told = await event_admin.cancel_event(
            repo, callback_data.event_id, actor_id=query.from_user.id, now=clock.now(),
            reason=reason,
        )  # fmt: skip
    except EventNotFoundError:
        await query.message.answer(_("This event no longer exists or is already called off."))
        return
    await query.message.edit_text(called_off_text(told))


async def _typed_reason(state: FSMContext, event_id: int) -> str:
    """The reason typed for calling off this event ("" when none, or typed for another)."""
    data = await state.get_data()
    if int(data.get("call_off") or 0) != event_id:
        return ""
    return str(data.get("call_off_reason") or "")


async def cmd_call_off(message: Message, command: CommandObject, state: FSMContext) -> None:
    """/afgelasten <id>: asks to confirm calling the event off, with room for a reason."""
    event_id = await need_event_id(message, command)
    if event_id is None:
        return
    await _ask_call_off(message, state, event_id)


def create_router() -> Router:
    router = Router(name="events_manage")
    coordinator = IsCoordinator()
    router.message.register(cmd_manage, Command("beheer", "manage"), coordinator)
    router.message.register(cmd_call_off, Command("afgelasten", "calloff"), coordinator)
    router.message.register(
        reason_entered,
        StateFilter(CallOffStates.reason),
        TypedText(),
        coordinator,
    )
    card = EventAdminCallback.filter
    router.callback_query.register(cb_qr, card(F.action == EventAdminAction.QR), coordinator)
    router.callback_query.register(
        cb_call_off, card(F.action == EventAdminAction.CANCEL), coordinator
    )
    router.callback_query.register(
        cb_call_off_confirmed, card(F.action == EventAdminAction.CANCEL_YES), coordinator
    )
    router.callback_query.register(
        cb_call_off_cancelled, card(F.action == EventAdminAction.CANCEL_NO), coordinator
    )
    return router
