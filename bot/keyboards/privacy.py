"""The buttons of /verwijder's question: erase everything, or keep it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import PrivacyAction, PrivacyCallback


def erase_keyboard(code: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🗑 Yes, delete everything"),
        callback_data=PrivacyCallback(action=PrivacyAction.ERASE, code=code),
    )
    builder.button(
        text=_("No, keep it"), callback_data=PrivacyCallback(action=PrivacyAction.KEEP, code=code)
    )
    builder.adjust(1)
    return builder.as_markup()
