"""The main menu: one place lists what the bot offers, for /start, /menu and the fallback."""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n, get_i18n

from bot.i18n import _, speaking
from bot.keyboards.callbacks import MenuAction, MenuCallback
from bot.keyboards.map import map_button, map_url


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
    """The menu, two buttons a row, in the current language. Its buttons are made once per
    language (and map address): the menu is sent often, and only its rows are new each time."""
    i18n = get_i18n()
    buttons = _menu_buttons(i18n, i18n.current_locale, map_url())
    return InlineKeyboardMarkup(
        inline_keyboard=[list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    )


@lru_cache(maxsize=32)
def _menu_buttons(
    i18n: I18n, locale: str, map_base: str | None
) -> tuple[InlineKeyboardButton, ...]:
    with speaking(i18n, locale):
        buttons = [
            InlineKeyboardButton(text=label, callback_data=MenuCallback(action=action).pack())
            for action, label in menu_entries()
        ]
        map_entry = map_button() if map_base else None
    return (*buttons, map_entry) if map_entry is not None else tuple(buttons)


def menu_button() -> InlineKeyboardButton:
    """ "☰ Menu": the next step under a message that ends a path."""
    return InlineKeyboardButton(
        text=_("☰ Menu"), callback_data=MenuCallback(action=MenuAction.MENU).pack()
    )


def with_menu_button(markup: InlineKeyboardMarkup | None = None) -> InlineKeyboardMarkup:
    """The buttons of `markup` (if any) with a last row holding the menu button."""
    rows = list(markup.inline_keyboard) if markup is not None else []
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [menu_button()]])
