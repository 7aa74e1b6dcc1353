"""[📤 Share] under a card or an invitation: sharing needs no knowledge of inline mode.

A card's button opens the person's chat list with `@bot i_12` (or `e_7`) typed in, and inline
mode answers that with exactly that card; an invitation is personal, so its button opens
Telegram's own share sheet with the link instead."""

from __future__ import annotations

from urllib.parse import urlencode

from aiogram.types import InlineKeyboardButton

from bot.i18n import _


def share_label() -> str:
    return _("📤 Share")


def share_card_button(query: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=share_label(), switch_inline_query=query)


def share_link_button(link: str, text: str) -> InlineKeyboardButton:
    url = "https://t.me/share/url?" + urlencode({"url": link, "text": text})
    return InlineKeyboardButton(text=share_label(), url=url)
