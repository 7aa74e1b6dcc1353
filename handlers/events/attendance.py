"""Coordinators see who comes: /deelnemers <id> (seats and waitlist) and, once the event has
started, attendance buttons per participant (an attended training grants its certificate)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.conversation.commands import need_event_id
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import AttendanceCallback, EventAdminAction, EventAdminCallback
from bot.services.events import admin as event_admin
from bot.services.events.admin import EventNotOverError
from bot.services.events.registrations import EventNotFoundError
from bot.views.participants import attendance_markup, attendance_saved_text, participants_page
from storage.repositories import Repo


async def participants_text(
    repo: Repo, event_id: int, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Seats and waitlist, a page at a time (any number of people, any length of name)."""
    event, rows = await event_admin.participants(repo, event_id)
    return participants_page(event, rows, page)


async def cmd_participants(message: Message, command: CommandObject, repo: Repo) -> None:
    """Lists who is signed up and who is waiting."""
    event_id = await need_event_id(message, command)
    if event_id is None:
        return
    try:
        text, keyboard = await participants_text(repo, event_id)
    except EventNotFoundError:
        await message.answer(_("There is no event with number {id}.").format(id=event_id))
        return
    await message.answer(text, reply_markup=keyboard)


async def attendance_keyboard(repo: Repo, event_id: int, page: int = 0) -> InlineKeyboardMarkup:
    """A button per participant (present ✅, absent ❌, not yet ⬜), a page at a time."""
    _event, rows = await event_admin.participants(repo, event_id)
    return attendance_markup(event_id, rows, page)


async def cb_people(query: CallbackQuery, callback_data: EventAdminCallback, repo: Repo) -> None:
    """[Participants] on the card: seats and waitlist; ◀ ▶ turn the page in place."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        text, keyboard = await participants_text(repo, callback_data.event_id, callback_data.page)
    except EventNotFoundError:
        await query.message.answer(_gone_text())
        return
    if callback_data.action == EventAdminAction.PEOPLE_PAGE:
        await query.message.edit_text(text, reply_markup=keyboard)
    else:
        await query.message.answer(text, reply_markup=keyboard)


async def cb_mark_attendance(
    query: CallbackQuery, callback_data: EventAdminCallback, repo: Repo
) -> None:
    """[Attendance] on the card: a button per participant to mark present or absent."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        keyboard = await attendance_keyboard(repo, callback_data.event_id, callback_data.page)
    except EventNotFoundError:
        await query.message.answer(_gone_text())
        return
    if callback_data.action == EventAdminAction.ATTENDANCE_PAGE:
        await query.message.edit_reply_markup(reply_markup=keyboard)
        return
    await query.message.answer(
        _("Tap each person to mark them present ✅ or absent ❌."), reply_markup=keyboard
    )


def _gone_text() -> str:
    return _("This event no longer exists or is already called off.")


async def cb_attendance(
    query: CallbackQuery, callback_data: AttendanceCallback, repo: Repo, clock: Clock
) -> None:
    """Marks one participant present or absent; a training grants its certificate."""
    try:
        marked = await event_admin.mark_attendance(
            repo,
            callback_data.registration_id,
            callback_data.attended,
            actor_id=query.from_user.id,
            now=clock.now(),
        )
    except EventNotOverError:
        await query.answer(
            _("Attendance can be marked once the event has started."), show_alert=True
        )
        return
    except EventNotFoundError:
        await query.answer(_("This sign-up is no longer active."), show_alert=True)
        return
    await query.answer(attendance_saved_text(marked))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=await attendance_keyboard(repo, marked.event.id, callback_data.page)
        )


def create_router() -> Router:
    router = Router(name="events_attendance")
    coordinator = IsCoordinator()
    router.message.register(cmd_participants, Command("deelnemers", "participants"), coordinator)
    people = (EventAdminAction.PEOPLE, EventAdminAction.PEOPLE_PAGE)
    router.callback_query.register(
        cb_people, EventAdminCallback.filter(F.action.in_(people)), coordinator
    )
    attendance = (EventAdminAction.ATTENDANCE, EventAdminAction.ATTENDANCE_PAGE)
    router.callback_query.register(
        cb_mark_attendance, EventAdminCallback.filter(F.action.in_(attendance)), coordinator
    )
    router.callback_query.register(cb_attendance, AttendanceCallback.filter(), coordinator)
    return router
