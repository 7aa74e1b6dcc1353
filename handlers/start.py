"""/start (with deep links), /help and /menu: the way into everything the bot does."""

from __future__ import annotations

import logging
from typing import Unpack

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.deeplinks import find_opener
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.callbacks import MenuAction, MenuCallback
from bot.keyboards.menu import main_menu
from bot.services.coordination.optout import start_again
from bot.views.help import help_text, welcome_text
from storage.models import User

logger = logging.getLogger(__name__)


async def cmd_start(
    message: Message,
    command: CommandObject,
    **data: Unpack[HandlerData],
) -> None:
    """Greets the user with the menu, or opens what a deep link points at."""
    user, repo, clock = data["user"], data["repo"], data["clock"]
    if await start_again(repo, user, now=clock.now()):
        await message.answer(_("Welcome back! You'll get announcements again."))
    first_name = user.first_name  # read now: an opener's failed transaction expires the user
    payload = command.args
    problem = ""
    if payload:
        found = find_opener(payload)
        opened: bool | str = False
        if found is not None:
            opener, argument = found
            opened = await opener(message, argument, data)
        if opened is True:
            return
        logger.info("unknown or expired deep link opened")
        problem = opened or _("This link doesn't work (any more).")
    text = welcome_text(first_name)
    await message.answer(f"{problem}\n\n{text}" if problem else text, reply_markup=main_menu())


def _help_for(user: User, locale: str) -> str:
    return help_text(locale, coordinator=user.is_coordinator, facilitator=user.is_facilitator)


async def cmd_help(message: Message, user: User, locale: str) -> None:
    """Everything this person can do, grouped, with the menu below."""
    await message.answer(_help_for(user, locale), reply_markup=main_menu())


async def cmd_menu(message: Message) -> None:
    """Shows the main menu."""
    await message.answer(_("What do you want to do?"), reply_markup=main_menu())


async def cb_help(query: CallbackQuery, user: User, locale: str) -> None:
    """The menu's help button: the same explanation as /help."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_help_for(user, locale), reply_markup=main_menu())


async def cb_menu(query: CallbackQuery) -> None:
    """A "☰ Menu" button under a message that ends a path: the menu, one tap away."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_("What do you want to do?"), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart(), F.chat.type == "private")
    router.message.register(cmd_help, Command("help", "hulp"))
    router.message.register(cmd_menu, Command("menu"))
    router.callback_query.register(cb_help, MenuCallback.filter(F.action == MenuAction.HELP))
    router.callback_query.register(cb_menu, MenuCallback.filter(F.action == MenuAction.MENU))
    return router
