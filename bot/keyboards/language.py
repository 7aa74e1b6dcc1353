"""The language picker."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import LanguageCallback

# Each language is named in itself, so anyone can find their own.
LANGUAGE_NAMES: dict[str, str] = {"nl": "🇳🇱 Nederlands", "en": "🇬🇧 English"}


def language_picker(current: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in LANGUAGE_NAMES.items():
        label = f"✓ {name}" if code == current else name
        builder.button(text=label, callback_data=LanguageCallback(code=code))
    builder.adjust(2)
    return builder.as_markup()
