"""The names of what the bot shows, as screens and buttons both use them: kinds of event (with
their icons), training levels and themes."""

from __future__ import annotations

from bot.catalog.themes import THEMES
from bot.i18n import N_, _

KIND_ICONS = {"table": "🗣", "training": "🎓", "meetup": "🤝"}
KIND_LABELS = {
    "table": N_("Dialogue table"),
    "training": N_("Training"),
    "meetup": N_("Meetup"),
}
LEVEL_LABELS = {"basis": N_("Basis"), "kinder": N_("Kinder"), "spannend": N_("Spannend")}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


def level_label(level: str) -> str:
    return _(LEVEL_LABELS.get(level, level))


def theme_label(theme: str | None, locale: str) -> str:
    if not theme:
        return ""
    label = THEMES.get(theme)
    return label.label(locale) if label else theme
