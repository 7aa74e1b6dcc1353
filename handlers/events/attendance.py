"""Coordinators see who comes: /deelnemers <id> (seats and waitlist) and, once the event has
started, attendance buttons per participant (an attended training grants its certificate)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.conversation.commands import need_event_id
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import AttendanceCallback, EventAdminAction, EventAdminCallback
from bot.services.events import admin as event_admin
from bot.services.events.admin import EventNotOverError
from bot.services.events.registrations import EventNotFoundError
from bot.views.events import admin_button
from storage.models import RegistrationStatus
from storage.repositories import Repo


async def participants_text(repo: Repo, event_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    event, rows = await event_admin.participants(repo, event_id)
    seats = [(reg, user) for reg, user in rows if reg.status != RegistrationStatus.WAITLISTED]
    waiting = [(reg, user) for reg, user in rows if reg.status == RegistrationStatus.WAITLISTED]
    lines = [f"👥 <b>{html.escape(event.title)}</b>", ""]
    lines.append(
        _("Signed up ({count} of {capacity}):").format(count=len(seats), capacity=event.capacity)
    )
    lines += [f"{n}. {html.escape(user.first_name)}" for n, (_r, user) in enumerate(seats, 1)]
    if not seats:
        lines.append(_("nobody yet"))
    lines += ["", _("Waitlist ({count}):").format(count=len(waiting))]
    lines += [f"{reg.waitlist_position}. {html.escape(user.first_name)}" for reg, user in waiting]
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[admin_button("✅ " + _("Mark attendance"), "attendance", event_id)]]
    )
    return "\n".join(lines), keyboard if seats else None


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


async def attendance_keyboard(repo: Repo, event_id: int) -> InlineKeyboardMarkup:
    _event, rows = await event_admin.participants(repo, event_id)
    icons = {RegistrationStatus.ATTENDED: "✅", RegistrationStatus.NO_SHOW: "❌"}
    buttons = [
        [
            InlineKeyboardButton(
                text=f"{icons.get(RegistrationStatus(reg.status), '⬜')} {user.first_name}",
                callback_data=AttendanceCallback(
                    registration_id=reg.id, attended=reg.status != RegistrationStatus.ATTENDED
                ).pack(),
            )
        ]
        for reg, user in rows
        if reg.status != RegistrationStatus.WAITLISTED
    ]
    return InlineKeyboardMarkup(inline_keyboard=buttons)


async def cb_people(query: CallbackQuery, callback_data: EventAdminCallback, repo: Repo) -> None:
    """[Participants] on the card: seats and waitlist."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        text, keyboard = await participants_text(repo, callback_data.event_id)
    except EventNotFoundError:
        await query.message.answer(_gone_text())
        return
    await query.message.answer(text, reply_markup=keyboard)


async def cb_mark_attendance(
    query: CallbackQuery, callback_data: EventAdminCallback, repo: Repo
) -> None:
    """[Attendance] on the card: a button per participant to mark present or absent."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        keyboard = await attendance_keyboard(repo, callback_data.event_id)
    except EventNotFoundError:
        await query.message.answer(_gone_text())
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
        event, _registration, granted = await event_admin.mark_attendance(
            repo, callback_data.registration_id, callback_data.attended, now=clock.now()
        )
    except EventNotOverError:
        await query.answer(
            _("Attendance can be marked once the event has started."), show_alert=True
        )
        return
    except EventNotFoundError:
        await query.answer(_("This sign-up is no longer active."), show_alert=True)
        return
    await query.answer(_("Certificate granted.") if granted else _("Saved."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=await attendance_keyboard(repo, event.id)
        )


def create_router() -> Router:
    router = Router(name="events_attendance")
    coordinator = IsCoordinator()
    router.message.register(cmd_participants, Command("deelnemers", "participants"), coordinator)
    router.callback_query.register(
        cb_people, EventAdminCallback.filter(F.action == EventAdminAction.PEOPLE), coordinator
    )
    router.callback_query.register(
        cb_mark_attendance,
        EventAdminCallback.filter(F.action == EventAdminAction.ATTENDANCE),
        coordinator,
    )
    router.callback_query.register(cb_attendance, AttendanceCallback.filter(), coordinator)
    return router
