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
from bot.views.events import admin_button, person_line
from bot.views.pages import clamp, cut, nav_row, page_of, text_pages
from storage.models import RegistrationStatus
from storage.repositories import Repo


async def participants_text(
    repo: Repo, event_id: int, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Seats and waitlist, a page at a time (any number of people, any length of name)."""
    event, rows = await event_admin.participants(repo, event_id)
    seats = [(reg, user) for reg, user in rows if reg.status != RegistrationStatus.WAITLISTED]
    waiting = [(reg, user) for reg, user in rows if reg.status == RegistrationStatus.WAITLISTED]
    taken = sum(reg.party_size for reg, _user in seats)
    body = [_("Signed up ({count} of {capacity}):").format(count=taken, capacity=event.capacity)]
    body += [f"{n}. {person_line(reg, user)}" for n, (reg, user) in enumerate(seats, 1)]
    if not seats:
        body.append(_("nobody yet"))
    body += ["", _("Waitlist ({count}):").format(count=len(waiting))]
    body += [f"{reg.waitlist_position}. {person_line(reg, user)}" for reg, user in waiting]
    pages = text_pages(body)
    number = clamp(page, len(pages))
    title = cut(html.escape(event.title), 300)
    text = "\n".join([f"👥 <b>{title}</b>", "", *pages[number]])
    rows_of_buttons = []
    nav = nav_row(number, len(pages), lambda n: _admin_data("people_page", event_id, n))
    if nav:
        rows_of_buttons.append(nav)
    if seats:
        rows_of_buttons.append([admin_button("✅ " + _("Mark attendance"), "attendance", event_id)])
    keyboard = InlineKeyboardMarkup(inline_keyboard=rows_of_buttons) if rows_of_buttons else None
    return text, keyboard


def _admin_data(action: str, event_id: int, page: int) -> str:
    return EventAdminCallback(action=EventAdminAction(action), event_id=event_id, page=page).pack()


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
    seats = [(reg, user) for reg, user in rows if reg.status != RegistrationStatus.WAITLISTED]
    shown = page_of(seats, page)
    icons = {RegistrationStatus.ATTENDED: "✅", RegistrationStatus.NO_SHOW: "❌"}
    buttons = [
        [
            InlineKeyboardButton(
                text=f"{icons.get(RegistrationStatus(reg.status), '⬜')} {n}. "
                + person_line(reg, user, plain=True),
                callback_data=AttendanceCallback(
                    registration_id=reg.id,
                    attended=reg.status != RegistrationStatus.ATTENDED,
                    page=shown.number,
                ).pack(),
            )
        ]
        for n, (reg, user) in enumerate(shown.items, shown.first)
    ]
    nav = nav_row(shown.number, shown.total, lambda n: _admin_data("attendance_page", event_id, n))
    return InlineKeyboardMarkup(inline_keyboard=[nav, *buttons] if nav else buttons)


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
    if marked.granted:
        said = _("Certificate granted.")
    elif marked.revoked:
        said = _("Saved. The certificate it had granted is taken back; they've been told.")
    else:
        said = _("Saved.")
    await query.answer(said)
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
