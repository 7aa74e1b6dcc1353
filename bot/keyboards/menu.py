"""The main menu: one place lists what the bot offers, for /start, /menu and the fallback."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import _
from bot.keyboards.callbacks import MenuCallback


def menu_entries() -> list[tuple[str, str]]:
    """(action, label) of each menu entry, in the current language."""
    return [
        ("search", _("🔎 Search")),
        ("agenda", _("📅 Agenda")),
        ("my_agenda", _("🗓 My agenda")),
        ("new_initiative", _("➕ New initiative")),
        ("my_initiatives", _("🏠 My initiatives")),
        ("ask", _("🙋 Ask initiatives")),
        ("knowledge", _("📚 Knowledge base")),
        ("help", _("❓ Help")),
        ("language", _("🌐 Language")),
    ]


def main_menu() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, label in menu_entries():
        builder.button(text=label, callback_data=MenuCallback(action=action))
    builder.adjust(2)
    return builder.as_markup()


def single_button(text: str, callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=callback_data)]]
    )
