"""The weekly overview's settings (/instellingen): on or off, themes and municipalities, and
the pickers for those two."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardMarkup

from bot.catalog.municipalities import MUNICIPALITIES
from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import DigestAction, DigestCallback
from bot.labels import theme_label
from storage.models import DigestSubscription


def digest_settings(found: DigestSubscription, locale: str) -> tuple[str, InlineKeyboardMarkup]:
    state = _("on") if found.active else _("off")
    themes = ", ".join(theme_label(str(t), locale) for t in found.themes) or _("all")
    places = ", ".join(str(p) for p in found.municipalities) or _("all")
    text = "\n".join(
        [
            "⚙️ <b>" + _("Settings") + "</b>",
            "",
            "📰 " + _("Weekly overview of new events and initiatives: {state}").format(state=state),
            "🏷 " + _("Themes: {themes}").format(themes=html.escape(themes)),
            "📍 " + _("Municipalities: {places}").format(places=html.escape(places)),
        ]
    )
    builder = InlineKeyboardBuilder()
    if found.active:
        builder.button(
            text="🔕 " + _("Turn off"), callback_data=DigestCallback(action=DigestAction.OFF)
        )
    else:
        builder.button(
            text="🔔 " + _("Turn on"), callback_data=DigestCallback(action=DigestAction.ON)
        )
    builder.button(
        text="🏷 " + _("Choose themes"), callback_data=DigestCallback(action=DigestAction.THEMES)
    )
    builder.button(
        text="📍 " + _("Choose municipalities"),
        callback_data=DigestCallback(action=DigestAction.PLACES),
    )
    builder.adjust(1, 2)
    return text, builder.as_markup()


def digest_picker(found: DigestSubscription, field: str, locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    chosen = {str(v) for v in (found.themes if field == "theme" else found.municipalities)}
    for value, label in _options(field, locale):
        mark = "✓ " if value in chosen else ""
        builder.button(text=mark + label, callback_data=DigestCallback(action=field, value=value))
    builder.button(text="◀ " + _("Done"), callback_data=DigestCallback(action=DigestAction.SHOW))
    builder.adjust(2)
    return builder.as_markup()


def offered(field: str, value: str) -> bool:
    """Whether the picker for `field` offers `value` (a tap on anything else changes nothing)."""
    return value in (THEMES if field == "theme" else {m.name for m in MUNICIPALITIES})


def _options(field: str, locale: str) -> list[tuple[str, str]]:
    """(value, label) of the picker for "theme" or "place"."""
    if field == "theme":
        return [(slug, theme_label(slug, locale)) for slug in THEMES]
    return [(m.name, m.name) for m in MUNICIPALITIES]
