"""Inline keyboards of facilitation: answering a request, the own table, the coordinator's
overview of a table and alerts, and the facilitator's own settings."""

from __future__ import annotations

from datetime import tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import format_day
from bot.i18n import _
from bot.keyboards.callbacks import (
    FacAdminCallback,
    FacAnswerCallback,
    FacDutyAction,
    FacDutyCallback,
    FacSettingsAction,
    FacSettingsCallback,
)
from bot.labels import level_label
from bot.services.facilitation.pool import LEVELS, TableOverview
from storage.models import Event, FacilitationRequest, Unavailability

MAX_CANDIDATE_BUTTONS = 6


def answer_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="✅ " + _("Yes"),
                    callback_data=FacAnswerCallback(request_id=request_id, yes=True).pack(),
                ),
                InlineKeyboardButton(
                    text="❌ " + _("No"),
                    callback_data=FacAnswerCallback(request_id=request_id, yes=False).pack(),
                ),
            ]
        ]
    )


def which_table_keyboard(
    items: list[tuple[FacilitationRequest, Event]], yes: bool, locale: str, tz: tzinfo
) -> InlineKeyboardMarkup:
    """One button per open request: the answer goes to the table tapped."""
    rows = [
        [
            InlineKeyboardButton(
                text=f"{event.title[:40]} · {format_day(event.starts_at, locale, tz)}",
                callback_data=FacAnswerCallback(request_id=request.id, yes=yes).pack(),
            )
        ]
        for request, event in items
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def duty_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="🙅 " + _("I can't after all"),
                    callback_data=FacDutyCallback(
                        action=FacDutyAction.WITHDRAW, request_id=request_id
                    ).pack(),
                )
            ]
        ]
    )


def withdraw_confirm_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="🙅 " + _("Yes, I can't lead it"),
                    callback_data=FacDutyCallback(
                        action=FacDutyAction.WITHDRAW_YES, request_id=request_id
                    ).pack(),
                )
            ]
        ]
    )


def _admin(text: str, action: str, event_id: int, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text,
        callback_data=FacAdminCallback(action=action, event_id=event_id, value=value).pack(),
    )


def alert_keyboard(event_id: int) -> InlineKeyboardMarkup:
    """[Open call] [Ask someone] under an alert about a table without its facilitators."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _admin("📣 " + _("Open call"), "call", event_id),
                _admin("🙋 " + _("Ask someone"), "panel", event_id),
            ]
        ]
    )


def panel_keyboard(found: TableOverview) -> InlineKeyboardMarkup:
    """Ask one of the candidates, an open call, the certificate and how many are needed."""
    event_id = found.event.id
    rows: list[list[InlineKeyboardButton]] = []
    if found.event.facilitators_confirmed < found.event.facilitators_needed:
        for person in found.candidates[:MAX_CANDIDATE_BUTTONS]:
            label = _("Ask {name}").format(name=person.first_name[:30])
            rows.append([_admin("🙋 " + label, "ask", event_id, str(person.id))])
        rows.append([_admin("📣 " + _("Open call"), "call", event_id)])
    rows.append(
        [
            _admin(
                ("✓ " if level == found.level else "") + level_label(level),
                "level",
                event_id,
                level,
            )
            for level in LEVELS
        ]
    )
    rows.append(
        [
            _admin("➖", "need", event_id, "-1"),
            _admin(
                _("{count} needed").format(count=found.event.facilitators_needed),
                "panel",
                event_id,
            ),
            _admin("➕", "need", event_id, "+1"),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def settings_keyboard(periods: list[Unavailability], maximum: int | None) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text="🗑 " + _("Remove period {number}").format(number=number),
                callback_data=FacSettingsCallback(
                    action=FacSettingsAction.DEL, value=period.id
                ).pack(),
            )
        ]
        for number, period in enumerate(periods, start=1)
    ]
    choices = [(0, "∞"), (1, "1"), (2, "2"), (3, "3"), (4, "4")]
    rows.append(
        [
            InlineKeyboardButton(
                text=("✓ " if (maximum or 0) == value else "") + label,
                callback_data=FacSettingsCallback(action=FacSettingsAction.MAX, value=value).pack(),
            )
            for value, label in choices
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def moved_keyboard(request_id: int) -> InlineKeyboardMarkup:
    """Under "your table moved": can you still lead it?"""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="✅ " + _("Yes, I can still"),
                    callback_data=FacDutyCallback(
                        action=FacDutyAction.STILL_ON, request_id=request_id
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text="❌ " + _("No, I can't now"),
                    callback_data=FacDutyCallback(
                        action=FacDutyAction.WITHDRAW, request_id=request_id
                    ).pack(),
                ),
            ]
        ]
    )
