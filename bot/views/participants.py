"""Who comes to an event, for its coordinators: the seats and the waitlist, and a button per
participant to mark attendance, each a page at a time (any number of people, any name)."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards.callbacks import AttendanceCallback, EventAdminAction, EventAdminCallback
from bot.paging import clamp, cut, nav_row, page_of, text_pages
from bot.services.events.admin import Marked
from bot.views.events import admin_button, person_line
from storage.models import Event, Registration, RegistrationStatus, User

Participants = list[tuple[Registration, User]]


def participants_page(
    event: Event, rows: Participants, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Seats (with how many of the capacity they take) and the waitlist, on `page`."""
    seats, waiting = _seats_and_waitlist(rows)
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
    nav = nav_row(number, len(pages), lambda n: _admin_data("people_page", event.id, n))
    if nav:
        rows_of_buttons.append(nav)
    if seats:
        rows_of_buttons.append([admin_button("✅ " + _("Mark attendance"), "attendance", event.id)])
    keyboard = InlineKeyboardMarkup(inline_keyboard=rows_of_buttons) if rows_of_buttons else None
    return text, keyboard


def attendance_markup(event_id: int, rows: Participants, page: int) -> InlineKeyboardMarkup:
    """A button per seat (present ✅, absent ❌, not yet ⬜) on `page`; a tap flips it."""
    shown = page_of(_seats_and_waitlist(rows)[0], page)
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


def _seats_and_waitlist(rows: Participants) -> tuple[Participants, Participants]:
    seats: Participants = []
    waiting: Participants = []
    for reg, user in rows:
        (waiting if reg.status == RegistrationStatus.WAITLISTED else seats).append((reg, user))
    return seats, waiting


def _admin_data(action: str, event_id: int, page: int) -> str:
    return EventAdminCallback(action=EventAdminAction(action), event_id=event_id, page=page).pack()


def attendance_saved_text(marked: Marked) -> str:
    """What a tap on an attendance button did, with a training's certificate."""
    if marked.granted:
        return _("Certificate granted.")
    if marked.revoked:
        return _("Saved. The certificate it had granted is taken back; they've been told.")
    return _("Saved.")
