"""Anything no feature understood: a mistyped command gets the closest one, anything else the
menu instead of silence. (Plain words outside any conversation are a search: see
handlers/search/free_text.py.)"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.commands import closest_command
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import ADMIN_PREFIXES, ConfirmCallback
from bot.keyboards.confirm import drop_confirmation
from bot.keyboards.menu import main_menu
from bot.views.messages import answer_earlier_step
from storage.models import User


async def on_unknown_command(message: Message, user: User, locale: str) -> None:
    """An unknown command: the closest one this person can use, or the menu."""
    meant = closest_command(
        message.text or "", locale, coordinator=user.is_coordinator, facilitator=user.is_facilitator
    )
    if meant is not None:
        text = _("I don't know that command. Did you mean /{command}?").format(command=meant)
    else:
        text = _("I don't know that command. Choose from the menu or type /help.")
    await message.answer(text, reply_markup=main_menu())


async def cmd_stop(message: Message, state: FSMContext) -> None:
    """/stop (or /annuleren, /cancel) that no conversation took: it stops whatever was going
    on, and never means anything else. Outside a conversation it says so and points at the
    command that stops announcements."""
    if await state.get_state() is None:
        await message.answer(
            _(
                "There is nothing to stop right now. Don't want announcements from the "
                "coordinators any more? Send /noannouncements."
            ),
            reply_markup=main_menu(),
        )
        return
    await state.set_state(None)
    await message.answer(
        _("OK, stopped. Nothing more was saved. Type /menu for everything else."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def on_unknown_text(message: Message) -> None:
    """Text in the middle of a conversation that its step could not place: show the menu."""
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
    """A button that no longer leads anywhere: one of an earlier step of a conversation, an
    old message, or forged data. Nothing changes."""
    await answer_earlier_step(query)


class AdminButton(Filter):
    """A button whose prefix belongs to the coordinators' tools."""

    async def __call__(self, query: CallbackQuery) -> bool:
        prefix = (query.data or "").split(":", 1)[0]
        return prefix in ADMIN_PREFIXES


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(cmd_stop, Command("stop", "annuleren", "cancel"))
    router.message.register(on_unknown_command, F.chat.type == "private", F.text.startswith("/"))
    router.message.register(on_unknown_text, F.chat.type == "private", F.text)
    router.message.register(on_unknown_message, F.chat.type == "private")
    router.callback_query.register(drop_confirmation, ConfirmCallback.filter())
    router.callback_query.register(on_stale_button, AdminButton(), IsCoordinator())
    router.callback_query.register(on_stale_button)
    return router
