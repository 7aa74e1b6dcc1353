"""/taal and /language: switch between Dutch and English at any time."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.i18n import CatalogI18n, _, speaking
from bot.keyboards.callbacks import LanguageCallback, MenuAction, MenuCallback
from bot.keyboards.language import language_picker
from bot.keyboards.menu import main_menu
from bot.services.users import UnsupportedLanguageError, choose_language
from storage.models import User
from storage.repositories import Repo


def picker_text() -> str:
    return _("Which language do you want? / Welke taal wil je?")


async def cmd_language(message: Message, locale: str) -> None:
    """Shows the two languages as buttons, the current one ticked."""
    await message.answer(picker_text(), reply_markup=language_picker(locale))


async def cb_menu_language(query: CallbackQuery, locale: str) -> None:
    """The menu's language button opens the picker."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(picker_text(), reply_markup=language_picker(locale))


async def cb_choose_language(
    query: CallbackQuery,
    callback_data: LanguageCallback,
    user: User,
    repo: Repo,
    i18n: CatalogI18n,
) -> None:
    """Stores the chosen language and confirms in that language."""
    try:
        await choose_language(repo, user, callback_data.code)
    except UnsupportedLanguageError:
        await query.answer(_("That language is not available."), show_alert=True)
        return
    with speaking(i18n, callback_data.code):
        await query.answer(_("Language changed."))
        if isinstance(query.message, Message):
            await query.message.edit_text(
                picker_text(), reply_markup=language_picker(callback_data.code)
            )
            await query.message.answer(
                _("From now on I'll speak English with you."), reply_markup=main_menu()
            )


def create_router() -> Router:
    router = Router(name="language")
    router.message.register(cmd_language, Command("taal", "language"))
    router.callback_query.register(
        cb_menu_language, MenuCallback.filter(F.action == MenuAction.LANGUAGE)
    )
    router.callback_query.register(cb_choose_language, LanguageCallback.filter())
    return router
