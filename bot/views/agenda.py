"""The facilitation duties shown in a person's agenda."""

from __future__ import annotations

import html
from datetime import tzinfo

from aiogram.types import InlineKeyboardButton

from bot.i18n import _
from bot.keyboards.callbacks import EventAction, EventCallback, FacDutyAction, FacDutyCallback
from bot.views.dates import format_span
from bot.views.event_card import title_line
from storage.models import Event, FacilitationRequest

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
