"""Anything no feature understood: answer with the menu instead of silence."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import ADMIN_PREFIXES
from bot.keyboards.menu import main_menu


async def on_unknown_command(message: Message) -> None:
    """An unknown command: say so and show the menu."""
    await message.answer(
        _("I don't know that command. Choose from the menu or type /help."),
        reply_markup=main_menu(),
    )


async def on_unknown_text(message: Message) -> None:
    """Free text nobody was waiting for: show the menu."""
    await message.answer(
        _("I didn't quite understand that. Choose what you want to do:"),
        reply_markup=main_menu(),
    )


async def on_unknown_message(message: Message) -> None:
    """A sticker, photo, voice message, location or anything else: show the menu."""
    await message.answer(
        _("I can't do anything with this here. Choose what you want to do:"),
        reply_markup=main_menu(),
    )


async def on_stale_button(query: CallbackQuery) -> None:
    """A button that no longer leads anywhere (an old message, or forged data)."""
    await query.answer(_("This button no longer works. Type /menu to start again."))


class AdminButton(Filter):
    """A button whose prefix belongs to the coordinators' tools."""

    async def __call__(self, query: CallbackQuery) -> bool:
        prefix = (query.data or "").split(":", 1)[0]
        return prefix in ADMIN_PREFIXES


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_unknown_command, F.chat.type == "private", F.text.startswith("/"))
    router.message.register(on_unknown_text, F.chat.type == "private", F.text)
    router.message.register(on_unknown_message, F.chat.type == "private")
    router.callback_query.register(on_stale_button, AdminButton(), IsCoordinator())
    router.callback_query.register(on_stale_button)
    return router
