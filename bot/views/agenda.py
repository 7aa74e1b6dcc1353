"""A person's agenda (/mijnagenda): the tables they lead, their sign-ups and waitlist places,
and their wishes, numbered, a page at a time."""

from __future__ import annotations

import html
from datetime import tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import format_span
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    FacDutyAction,
    FacDutyCallback,
    MenuAction,
    MenuCallback,
    WishAction,
    WishCallback,
)
from bot.paging import nav_row, page_of
from bot.services.events.agenda import MyAgenda
from bot.views.event_card import title_line
from bot.views.wishes import wish_line
from storage.models import Event, FacilitationRequest, Registration, RegistrationStatus

# Entries per page: two buttons each, and lines that stay well within one message.
AGENDA_PER_PAGE = 8

WORDS = {
    "thema": "themes", "themas": "themes", "theme": "themes", "themes": "themes",
    "gemeente": "places", "gemeenten": "places", "plaats": "places", "place": "places",
    "places": "places", "municipality": "places", "max": "max", "maximum": "max",
}  # fmt: skip


def agenda_duties(
    duties: list[tuple[FacilitationRequest, Event]], locale: str, tz: tzinfo
) -> tuple[list[str], list[list[InlineKeyboardButton]]]:
    """The tables someone leads, for the top of /mijnagenda: lines and one row of buttons
    (calendar, "I can't after all") per table, numbered from 1."""
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    for number, (request, event) in enumerate(duties, start=1):
        when = format_span(event.starts_at, event.ends_at, locale, tz)
        lines.append(
            f"{number}. {title_line(event)}\n    {when} · {html.escape(event.municipality)}"
            "\n    🧑‍🏫 " + _("you lead this table")
        )
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("📆 Calendar {number}").format(number=number),
                    callback_data=EventCallback(action=EventAction.ICS, event_id=event.id).pack(),
                ),
                InlineKeyboardButton(
                    text=_("🙅 I can't {number}").format(number=number),
                    callback_data=FacDutyCallback(
                        action=FacDutyAction.WITHDRAW, request_id=request.id
                    ).pack(),
                ),
            ]
        )
    return lines, rows


def my_agenda_page(
    mine: MyAgenda, page: int, locale: str, tz: tzinfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The agenda's text and buttons on `page`: duties, then sign-ups, then wishes."""
    if not mine.entries and not mine.duties and not mine.wishes:
        return _("Your agenda is empty. See what's on with /agenda."), None
    duty_lines, duty_rows = agenda_duties(mine.duties, locale, tz)
    items = list(zip(duty_lines, duty_rows, strict=True))
    for number, (registration, event) in enumerate(mine.entries, start=len(duty_rows) + 1):
        items.append(_sign_up_item(number, registration, event, locale, tz))
    for wish in mine.wishes:
        line = "🔔 " + _("On your list: {wish}").format(wish=wish_line(wish, locale, tz))
        drop = WishCallback(action=WishAction.DROP, id=wish.id).pack()
        items.append(
            (line, [InlineKeyboardButton(text="✖ " + _("Off my list"), callback_data=drop)])
        )
    shown = page_of(items, page, AGENDA_PER_PAGE)
    lines = ["🗓 <b>" + _("My agenda") + "</b>", "", *(line for line, _row in shown.items)]
    rows = [row for _line, row in shown.items]
    nav = nav_row(
        shown.number,
        shown.total,
        lambda n: MenuCallback(action=MenuAction.MY_AGENDA_PAGE, page=n).pack(),
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[*rows, nav] if nav else rows)


def _sign_up_item(
    number: int, registration: Registration, event: Event, locale: str, tz: tzinfo
) -> tuple[str, list[InlineKeyboardButton]]:
    """A seat or waitlist place: its line, and its calendar and cancel buttons."""
    when = format_span(event.starts_at, event.ends_at, locale, tz)
    if registration.status == RegistrationStatus.WAITLISTED:
        state = "⏳ " + _("waitlist: number {position}").format(
            position=registration.waitlist_position
        )
    else:
        state = "✅ " + _("signed up")
    if registration.party_size > 1:
        state += " · " + ngettext(
            "{count} person", "{count} people", registration.party_size
        ).format(count=registration.party_size)
    line = (
        f"{number}. {title_line(event)}\n    {when} · {html.escape(event.municipality)}"
        f"\n    {state}"
    )
    row = [
        InlineKeyboardButton(
            text=_("📆 Calendar {number}").format(number=number),
            callback_data=EventCallback(action=EventAction.ICS, event_id=event.id).pack(),
        ),
        InlineKeyboardButton(
            text=_("❌ Cancel {number}").format(number=number),
            callback_data=EventCallback(action=EventAction.UNLIST, event_id=event.id).pack(),
        ),
    ]
    return line, row
