"""Editing a shown message in place, and answering a button of an earlier step."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import _


async def edit_or_keep(message: Message, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Edit a message; a tap that changes nothing (Telegram: "not modified") is fine."""
    try:
        await message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as problem:
        if "not modified" not in str(problem):
            raise


async def answer_earlier_step(query: CallbackQuery) -> None:
    """A button of an earlier step (or an old message): nothing changes, and it says so."""
    await query.answer(
        _("This button belongs to an earlier step. Nothing has changed."), show_alert=True
    )
