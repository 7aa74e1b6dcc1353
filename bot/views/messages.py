"""Editing a shown message in place."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, Message


async def edit_or_keep(message: Message, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Edit a message; a tap that changes nothing (Telegram: "not modified") is fine."""
    try:
        await message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as problem:
        if "not modified" not in str(problem):
            raise
