"""Coordinators manage an event: /beheer <id> (card with link, QR code and actions),
/wijzig <id> (time, place, seats; registrants are told) and /afgelasten <id> (everyone is told).
Participants and attendance live in `handlers/events_attendance.py`."""

from __future__ import annotations

import io
from typing import Any, Unpack

import segno
from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.clock import Clock
from bot.conversation.commands import need_event_id
from bot.filters.roles import IsCoordinator
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import EventAdminAction, EventAdminCallback, EventFormCallback
from bot.middlewares.data import HandlerData
from bot.services.events import admin as event_admin
from bot.services.events.admin import CapacityBelowSeatsError, EventStartedError
from bot.services.events.inputs import (
    WhenError,
    check_description,
    check_title,
    parse_capacity,
    parse_place,
    parse_when,
)
from bot.services.events.registrations import EventNotFoundError
from bot.states import CallOffStates, EditEventStates
from bot.views.events import (
    call_off_question,
    event_link,
    send_admin_card,
    when_problem_text,
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


async def cb_change(query: CallbackQuery, callback_data: EventAdminCallback) -> None:
    """[Change]: which part to change."""
    await query.answer()
    if isinstance(query.message, Message):
        await _ask_field(query.message, callback_data.event_id)


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
    data = await state.get_data()
    reason = ""
    if int(data.get("call_off") or 0) == callback_data.event_id:
        reason = str(data.get("call_off_reason") or "")
    await state.set_state(None)
    try:
        told = await event_admin.cancel_event(
            repo, callback_data.event_id, actor_id=query.from_user.id, now=clock.now(),
            reason=reason,
        )  # fmt: skip
    except EventNotFoundError:
        await query.message.answer(_("This event no longer exists or is already called off."))
        return
    await query.message.edit_text(
        ngettext(
            "The event is called off. {count} person will be told.",
            "The event is called off. {count} people will be told.",
            told,
        ).format(count=told)
    )


_EDITABLE = ("time", "place", "seats", "title", "description")


async def _ask_field(message: Message, event_id: int) -> None:
    options = [
        ("time", "📅 " + _("Time")),
        ("place", "📍 " + _("Place")),
        ("seats", "🪑 " + _("Seats")),
        ("title", "✏️ " + _("Title")),
        ("description", "📝 " + _("Description")),
    ]
    buttons = [
        InlineKeyboardButton(
            text=label,
            callback_data=EventFormCallback(field="edit", value=f"{value}-{event_id}").pack(),
        )
        for value, label in options
    ]
    keyboard = InlineKeyboardMarkup(inline_keyboard=[buttons[:3], buttons[3:]])
    await message.answer(_("What do you want to change?"), reply_markup=keyboard)


async def cmd_change(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/wijzig <id>: asks what to change (not once the event has started)."""
    event_id = await need_event_id(message, command)
    if event_id is not None:
        await event_admin.check_changeable(repo, event_id, now=clock.now())
        await _ask_field(message, event_id)


async def cb_change_field(
    query: CallbackQuery, callback_data: EventFormCallback, state: FSMContext
) -> None:
    """Asks for the new value of the chosen field."""
    field, _sep, event_id = callback_data.value.partition("-")
    await query.answer()
    if field not in _EDITABLE or not event_id.isdigit():
        return
    await state.set_state(EditEventStates.value)
    await state.update_data(edit_field=field, edit_event=int(event_id))
    questions = {
        "time": _("New date and times? For example: <code>10-3 19:30-21:30</code>"),
        "place": _(
            "New place? For example: <code>Buurthuis De Pijler, Oudegracht 1, Utrecht</code>"
        ),
        "seats": _("How many seats from now on? Type a number."),
        "title": _("The new title? 3 to 200 characters."),
        "description": _("The new description? At most 2000 characters, or - for none."),
    }
    if isinstance(query.message, Message):
        await query.message.answer(questions[field] + "\n" + _("Or /stop to leave it as it is."))


async def value_entered(
    message: Message,
    **data: Unpack[HandlerData],
) -> None:
    """Applies the change; registrants hear about a new time or place."""
    state, repo, clock, settings = data["state"], data["repo"], data["clock"], data["settings"]
    values = await state.get_data()
    field, event_id = values["edit_field"], int(values["edit_event"])
    text = message.text or ""
    changes: dict[str, Any] = {}
    try:
        if field == "time":
            try:
                changes["starts_at"], changes["ends_at"] = parse_when(
                    text, now=clock.now(), tz=settings.tz
                )
            except WhenError as problem:
                await message.answer(when_problem_text(problem, data["locale"]))
                return
        elif field == "place":
            place = parse_place(text)
            changes.update(
                venue=place.venue, address=place.address, municipality=place.municipality
            )
        elif field == "title":
            changes["title"] = check_title(text)
        elif field == "description":
            changes["description"] = check_description(text)
        else:
            changes["capacity"] = parse_capacity(text)
        result = await event_admin.change_event(
            repo, event_id, actor_id=data["user"].id, now=clock.now(), **changes
        )
    except ValueError:
        problems = {
            "title": _("A title has 3 to 200 characters. Please type it again."),
            "description": _("That is a bit long: at most 2000 characters, please."),
        }
        await message.answer(
            problems.get(field, _("I can't read that. Please try again, or /stop."))
        )
        return
    except CapacityBelowSeatsError as problem:
        await message.answer(
            ngettext(
                "{count} person is already signed up: there can't be fewer seats than that.",
                "{count} people are already signed up: there can't be fewer seats than that.",
                problem.taken,
            ).format(count=problem.taken)
        )
        return
    except EventNotFoundError:
        await state.clear()
        await message.answer(_("This event no longer exists or is already called off."))
        return
    except EventStartedError:
        await state.clear()
        raise  # answered from the feature's refusals
    await state.clear()
    told = result.notified + len(result.promoted)  # who moved up from the waitlist hears too
    await message.answer(
        ngettext(
            "Changed. {count} person will be told.",
            "Changed. {count} people will be told.",
            told,
        ).format(count=told)
    )
    await send_admin_card(message, event_id, **data)


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
    router.message.register(cmd_change, Command("wijzig", "change"), coordinator)
    router.message.register(cmd_call_off, Command("afgelasten", "calloff"), coordinator)
    router.message.register(
        reason_entered,
        StateFilter(CallOffStates.reason),
        F.text & ~F.text.startswith("/"),
        coordinator,
    )
    router.message.register(
        value_entered,
        StateFilter(EditEventStates.value),
        F.text & ~F.text.startswith("/"),
        coordinator,
    )
    card = EventAdminCallback.filter
    router.callback_query.register(cb_qr, card(F.action == EventAdminAction.QR), coordinator)
    router.callback_query.register(cb_change, card(F.action == EventAdminAction.EDIT), coordinator)
    router.callback_query.register(
        cb_call_off, card(F.action == EventAdminAction.CANCEL), coordinator
    )
    router.callback_query.register(
        cb_call_off_confirmed, card(F.action == EventAdminAction.CANCEL_YES), coordinator
    )
    router.callback_query.register(
        cb_call_off_cancelled, card(F.action == EventAdminAction.CANCEL_NO), coordinator
    )
    router.callback_query.register(
        cb_change_field, EventFormCallback.filter(F.field == "edit"), coordinator
    )
    return router
