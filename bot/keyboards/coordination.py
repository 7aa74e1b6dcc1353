"""Keyboards of the coordinator tools: composing a broadcast, its audience, the preview, and
the period and export pickers."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.municipalities import MUNICIPALITIES
from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import (
    BroadcastCallback,
    BroadcastComposeCallback,
    EventAction,
    EventCallback,
    ExportCallback,
    StatsCallback,
)
from bot.services.coordination.audience import LEVELS
from storage.models import Broadcast

EXPORT_KINDS = ("initiatives", "events", "registrations", "debriefs", "feedback", "audit")


def broadcast_markup(broadcast: Broadcast) -> InlineKeyboardMarkup | None:
    """The button under an announcement, exactly as recipients get it (or None)."""
    if broadcast.button_url:
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=broadcast.button_text or "🔗", url=broadcast.button_url)]
            ]
        )
    if broadcast.button_event_id:
        data = EventCallback(action=EventAction.OPEN, event_id=broadcast.button_event_id).pack()
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [InlineKeyboardButton(text=_("📅 View and sign up"), callback_data=data)]
            ]
        )
    return None


def _compose(step: str, value: str = "") -> str:
    return BroadcastComposeCallback(step=step, value=value).pack()


def button_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🔗 A link"), callback_data=_compose("button", "link"))
    builder.button(text=_("📅 An event"), callback_data=_compose("button", "event"))
    builder.button(text=_("No button"), callback_data=_compose("button", "none"))
    builder.adjust(2, 1)
    return builder.as_markup()


def _tick(on: Any, label: str) -> str:
    return f"✓ {label}" if on else label


def audience_keyboard(spec: dict[str, Any]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_tick(spec.get("everyone"), _("👥 Everyone")), callback_data=_compose("everyone")
    )
    builder.button(
        text=_tick(spec.get("facilitators"), _("🧑‍🏫 Facilitators")),
        callback_data=_compose("facilitators"),
    )
    builder.button(
        text=_tick(spec.get("certificates"), _("🎓 With certificate…")),
        callback_data=_compose("pick", "certificates"),
    )
    builder.button(
        text=_tick(spec.get("members"), _("🏠 Initiative members")),
        callback_data=_compose("members"),
    )
    builder.button(
        text=_tick(spec.get("themes"), _("🏷 Theme…")), callback_data=_compose("pick", "themes")
    )
    builder.button(
        text=_tick(spec.get("municipalities"), _("📍 Municipality…")),
        callback_data=_compose("pick", "municipalities"),
    )
    builder.button(
        text=_tick(spec.get("events"), _("📅 Participants of an event…")),
        callback_data=_compose("ask", "events"),
    )
    builder.button(
        text=_tick(spec.get("waitlists"), _("⏳ Waitlist of an event…")),
        callback_data=_compose("ask", "waitlists"),
    )
    builder.button(text=_("👁 Preview"), callback_data=_compose("preview"))
    builder.adjust(2, 2, 2, 2, 1)
    return builder.as_markup()


def picker(segment: str, spec: dict[str, Any], locale: str) -> InlineKeyboardMarkup:
    """Ticks for one list segment: certificate levels, themes or municipalities."""
    chosen = spec.get(segment) or []
    if segment == "certificates":
        options = [(level, level.title()) for level in LEVELS]
        columns = 3
    elif segment == "themes":
        options = [(slug, label.label(locale)) for slug, label in THEMES.items()]
        columns = 2
    else:
        options = [(place.name, place.name) for place in MUNICIPALITIES]
        columns = 3
    builder = InlineKeyboardBuilder()
    for value, label in options:
        builder.button(text=_tick(value in chosen, label), callback_data=_compose(segment, value))
    builder.adjust(columns)
    builder.row(InlineKeyboardButton(text=_("✔️ Done"), callback_data=_compose("audience")))
    return builder.as_markup()


def preview_keyboard(broadcast_id: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        data = BroadcastCallback(action=action, id=broadcast_id).pack()
        return InlineKeyboardButton(text=text, callback_data=data)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(_("✅ Send now"), "send")],
            [button(_("🌙 Send after quiet hours"), "later")],
            [button(_("✖️ Cancel"), "cancel")],
        ]
    )


def stats_periods() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for period, label in (
        ("month", _("This month")),
        ("lastmonth", _("Last month")),
        ("year", _("This year")),
        ("lastyear", _("Last year")),
        ("all", _("All time")),
    ):
        builder.button(text=label, callback_data=StatsCallback(period=period))
    builder.adjust(2, 2, 1)
    return builder.as_markup()


def export_label(kind: str) -> str:
    """The name of an export in the current language."""
    return {
        "initiatives": _("Initiatives"),
        "events": _("Events"),
        "registrations": _("Registrations"),
        "debriefs": _("Debriefs"),
        "feedback": _("Feedback"),
        "audit": _("Audit log"),
    }.get(kind, kind)


def export_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in EXPORT_KINDS:
        builder.button(text=export_label(kind), callback_data=ExportCallback(what=kind))
    builder.adjust(2)
    return builder.as_markup()
