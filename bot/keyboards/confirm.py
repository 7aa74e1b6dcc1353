"""A one-tap confirmation for what can't easily be undone (declining, reporting, blocking,
taking a profile offline): the first tap adds a row "[Yes, …] [No, never mind]" under the
message's own buttons; "No" takes that row away again and nothing happens."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import _
from bot.keyboards.callbacks import ConfirmCallback


def _is_confirmation_row(row: list[InlineKeyboardButton]) -> bool:
    return any(button.callback_data == ConfirmCallback().pack() for button in row)


async def ask_to_confirm(query: CallbackQuery, yes_label: str, yes_data: CallbackData) -> None:
    """Answer the tap with the question and put the confirmation row under the buttons."""
    await query.answer(_("Are you sure? Tap “{label}” to go ahead.").format(label=yes_label))
    message = query.message
    if not isinstance(message, Message):
        return
    rows = [
        row
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else [])
        if not _is_confirmation_row(row)
    ]
    confirmation = [
        InlineKeyboardButton(text=yes_label, callback_data=yes_data.pack()),
        InlineKeyboardButton(text=_("No, never mind"), callback_data=ConfirmCallback().pack()),
    ]
    await message.edit_reply_markup(
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[*rows, confirmation])
    )


async def drop_confirmation(query: CallbackQuery) -> None:
    """[No, never mind]: the confirmation row goes, the message's own buttons stay."""
    await query.answer(_("OK, nothing has changed."))
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = [row for row in message.reply_markup.inline_keyboard if not _is_confirmation_row(row)]
    await message.edit_reply_markup(
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    )
