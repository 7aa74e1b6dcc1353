"""/start (with deep links), /help and /menu: the way into everything the bot does."""

from __future__ import annotations

import html
import logging
from typing import Unpack

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.deeplinks import find_opener
from bot.i18n import _
from bot.keyboards.callbacks import MenuAction, MenuCallback
from bot.keyboards.menu import main_menu
from bot.middlewares.data import HandlerData
from bot.services.coordination.optout import start_again

logger = logging.getLogger(__name__)


def welcome_text(first_name: str) -> str:
    return _(
        "Hi {name}! 👋 Welcome to <b>Samenspel</b>.\n\n"
        "Here you can find residents' initiatives in the province of Utrecht, "
        "sign up for dialogue tables and trainings, and get in touch with each other.\n\n"
        "Choose below what you want to do. You can also type /help."
    ).format(name=html.escape(first_name))


def help_text() -> str:
    return _(
        "<b>What can I do?</b>\n\n"
        "/zoek – find initiatives by words, theme or place\n"
        "/nieuw – add your initiative\n"
        "/mijn – your initiatives\n"
        "/agenda – dialogue tables, trainings and meetups\n"
        "/mijnagenda – your sign-ups\n"
        "/menu – everything at a glance\n"
        "/taal – choose Dutch or English\n"
        "/help – this explanation\n\n"
        "Tap a button or type a command. You don't need a password: "
        "your Telegram account is your login."
    )


async def cmd_start(
    message: Message,
    command: CommandObject,
    **data: Unpack[HandlerData],
) -> None:
    """Greets the user with the menu, or opens what a deep link points at."""
    user, repo, clock = data["user"], data["repo"], data["clock"]
    if await start_again(repo, user.id, now=clock.now()):
        await message.answer(_("Welcome back! You'll get announcements again."))
    payload = command.args
    if payload:
        found = find_opener(payload)
        if found is not None:
            opener, argument = found
            if await opener(message, argument, data):
                return
        logger.info("unknown or expired deep link opened")
        await message.answer(_("This link doesn't work (anymore). Here is the menu."))
    await message.answer(welcome_text(user.first_name), reply_markup=main_menu())


async def cmd_help(message: Message) -> None:
    """Explains the commands in a few lines."""
    await message.answer(help_text(), reply_markup=main_menu())


async def cmd_menu(message: Message) -> None:
    """Shows the main menu."""
    await message.answer(_("What do you want to do?"), reply_markup=main_menu())


async def cb_help(query: CallbackQuery) -> None:
    """The menu's help button: the same explanation as /help."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(help_text(), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart(), F.chat.type == "private")
    router.message.register(cmd_help, Command("help", "hulp"))
    router.message.register(cmd_menu, Command("menu"))
    router.callback_query.register(cb_help, MenuCallback.filter(F.action == MenuAction.HELP))
    return router
