"""/wijzig <id> (or ✏️ on the card): a coordinator changes an event that hasn't started. A
field is chosen with a button, then typed or picked; a new time or place first shows the
message registrants will get and how many people get it. /stop leaves everything as it was."""

from __future__ import annotations

from datetime import datetime
from typing import Unpack

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.conversation.commands import need_event_id
from bot.dates import format_moment
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.callbacks import EventAdminAction, EventAdminCallback, EventFormCallback
from bot.services.events import changes as event_changes
from bot.services.events.admin import CapacityBelowSeatsError, EventStartedError
from bot.services.events.changes import EventChanges, FacilitatorsNeededError
from bot.services.events.inputs import (
    WhenError,
)
from bot.services.events.registrations import EventNotFoundError
from bot.states import EditEventStates
from bot.views.event_changes import (
    PICKED,
    TOLD,
    changed_reply,
    confirm_keyboard,
    fields_keyboard,
    fields_of,
    pick_keyboard,
    preview_text,
    problem_text,
    question,
)
from bot.views.events import send_admin_card, when_problem_text
from storage.models import Event

# A change that waits for [Ja, wijzig en stuur] is kept in the conversation's state.
_WAITING_FIELDS = ("starts_at", "ends_at", "venue", "address", "municipality")


def _kept(changes: EventChanges) -> dict[str, str]:
    kept = {name: getattr(changes, name) for name in _WAITING_FIELDS}
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in kept.items()
        if value is not None
    }


def _restored(kept: dict[str, str]) -> EventChanges:
    def moment(name: str) -> datetime | None:
        return datetime.fromisoformat(kept[name]) if name in kept else None

    return EventChanges(
        starts_at=moment("starts_at"),
        ends_at=moment("ends_at"),
        venue=kept.get("venue"),
        address=kept.get("address"),
        municipality=kept.get("municipality"),
    )


async def _ask_field(message: Message, event: Event) -> None:
    await message.answer(_("What do you want to change?"), reply_markup=fields_keyboard(event))


async def cmd_change(message: Message, command: CommandObject, **data: Unpack[HandlerData]) -> None:
    """/wijzig <id>: asks what to change (not once the event has started)."""
    event_id = await need_event_id(message, command)
    if event_id is not None:
        event = await event_changes.changeable(data["repo"], event_id, now=data["clock"].now())
        await _ask_field(message, event)


async def cb_change(
    query: CallbackQuery, callback_data: EventAdminCallback, **data: Unpack[HandlerData]
) -> None:
    """✏️ on the coordinator's card."""
    await query.answer()
    event = await event_changes.changeable(
        data["repo"], callback_data.event_id, now=data["clock"].now()
    )
    if isinstance(query.message, Message):
        await _ask_field(query.message, event)


async def cb_change_field(
    query: CallbackQuery, callback_data: EventFormCallback, **data: Unpack[HandlerData]
) -> None:
    """Asks for the new value of the chosen field, saying what it is now."""
    state = data["state"]
    field, _sep, event_id = callback_data.value.partition("-")
    await query.answer()
    if not event_id.isdigit() or not isinstance(query.message, Message):
        return
    event = await event_changes.changeable(data["repo"], int(event_id), now=data["clock"].now())
    if field not in fields_of(event):
        return
    await state.set_state(EditEventStates.pick if field in PICKED else EditEventStates.value)
    await state.update_data(edit_field=field, edit_event=event.id)
    text = question(field, event, data["locale"], data["settings"].tz)
    if field in PICKED:
        await query.message.answer(text, reply_markup=pick_keyboard(field, event, data["locale"]))
        return
    await query.message.answer(text + "\n" + _("Or /stop to leave it as it is."))


async def value_entered(message: Message, **data: Unpack[HandlerData]) -> None:
    """Reads the typed value; a new time or place first shows what registrants will get."""
    state, clock = data["state"], data["clock"]
    values = await state.get_data()
    field, event_id = values["edit_field"], int(values["edit_event"])
    event = await _still_changeable(event_id, **data)
    try:
        changes = event_changes.read_change(
            field, message.text or "", starts_at=event.starts_at, now=clock.now(),
            tz=data["settings"].tz,
        )  # fmt: skip
    except WhenError as problem:
        await message.answer(when_problem_text(problem, data["locale"]))
        return
    except ValueError as problem:
        start = format_moment(event.starts_at, data["locale"], data["settings"].tz)
        await message.answer(problem_text(field, problem, start))
        return
    if field in TOLD:
        await _preview_or_change(message, event, field, changes, **data)
        return
    await _change(message, event, field, changes, **data)


async def _still_changeable(event_id: int, **data: Unpack[HandlerData]) -> Event:
    """The event; ends the conversation when it was called off or has started meanwhile."""
    try:
        return await event_changes.changeable(data["repo"], event_id, now=data["clock"].now())
    except (EventNotFoundError, EventStartedError):
        await data["state"].clear()
        raise  # answered from the feature's refusals


async def _preview_or_change(
    message: Message, event: Event, field: str, changes: EventChanges, **data: Unpack[HandlerData]
) -> None:
    state = data["state"]
    try:
        preview = await event_changes.preview_change(
            data["repo"], event.id, changes, now=data["clock"].now()
        )
    except ValueError as problem:
        start = format_moment(event.starts_at, data["locale"], data["settings"].tz)
        await message.answer(problem_text(field, problem, start))
        return
    if not preview.tells_anyone:
        await _change(message, event, field, changes, **data)
        return
    await state.set_state(EditEventStates.confirm)
    await state.update_data(edit_changes=_kept(changes))
    await message.answer(
        preview_text(preview, data["locale"], data["settings"].tz), reply_markup=confirm_keyboard()
    )


async def cb_picked(
    query: CallbackQuery, callback_data: EventFormCallback, **data: Unpack[HandlerData]
) -> None:
    """A theme or level was chosen."""
    await query.answer()
    values = await data["state"].get_data()
    field, event_id = values["edit_field"], int(values["edit_event"])
    if not isinstance(query.message, Message):
        return
    event = await _still_changeable(event_id, **data)
    value = callback_data.value
    changes = (
        EventChanges(theme=None if value == "-" else value)
        if field == "theme"
        else EventChanges(level=value)
    )
    await _change(query.message, event, field, changes, **data)


async def cb_send(
    query: CallbackQuery, callback_data: EventFormCallback, **data: Unpack[HandlerData]
) -> None:
    """[Ja, wijzig en stuur] or [Nee, laat maar] under the preview."""
    state = data["state"]
    values = await state.get_data()
    if not isinstance(query.message, Message):
        await query.answer()
        return
    if callback_data.value != "yes":
        await state.clear()
        await query.answer()
        await query.message.answer(_("OK, nothing has changed."))
        return
    await query.answer()
    event = await _still_changeable(int(values["edit_event"]), **data)
    changes = _restored(values.get("edit_changes", {}))
    await _change(query.message, event, values["edit_field"], changes, **data)


async def _change(
    message: Message, event: Event, field: str, changes: EventChanges, **data: Unpack[HandlerData]
) -> None:
    """Makes the change and shows the card; a problem is said and the question stays open."""
    state = data["state"]
    # Read before the change: a refused change rolls back, and with it what was loaded.
    event_id = event.id
    start = format_moment(event.starts_at, data["locale"], data["settings"].tz)
    try:
        result = await event_changes.change_event(
            data["repo"], event_id, changes, actor_id=data["user"].id, now=data["clock"].now()
        )
    except (ValueError, FacilitatorsNeededError, CapacityBelowSeatsError) as problem:
        await message.answer(problem_text(field, problem, start))
        return
    except (EventNotFoundError, EventStartedError):
        await state.clear()
        raise  # answered from the feature's refusals
    await state.clear()
    told = result.notified + len(result.promoted)  # who moved up from the waitlist hears too
    await message.answer(changed_reply(told))
    await send_admin_card(message, event_id, **data)


def create_router() -> Router:
    router = Router(name="events_edit")
    coordinator = IsCoordinator()
    router.message.register(cmd_change, Command("wijzig", "change"), coordinator)
    router.message.register(
        value_entered,
        StateFilter(EditEventStates.value),
        TypedText(),
        coordinator,
    )
    router.callback_query.register(
        cb_change, EventAdminCallback.filter(F.action == EventAdminAction.EDIT), coordinator
    )
    form = EventFormCallback.filter
    router.callback_query.register(cb_change_field, form(F.field == "edit"), coordinator)
    router.callback_query.register(
        cb_picked, form(F.field == "editpick"), StateFilter(EditEventStates.pick), coordinator
    )
    router.callback_query.register(
        cb_send, form(F.field == "editsend"), StateFilter(EditEventStates.confirm), coordinator
    )
    return router
