"""The command menu Telegram shows, in Dutch and English, with extra entries for coordinators."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.config import SUPPORTED_LOCALES
from bot.i18n import N_, CatalogI18n

logger = logging.getLogger(__name__)

# (command, description msgid). Descriptions are translated per language below.
EVERYONE: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and welcome")),
    ("menu", N_("Everything at a glance")),
    ("taal", N_("Choose your language")),
    ("help", N_("How it works")),
)
COORDINATORS: tuple[tuple[str, str], ...] = ()


def commands_for(i18n: CatalogI18n, locale: str, *, coordinator: bool) -> list[BotCommand]:
    entries = EVERYONE + (COORDINATORS if coordinator else ())
    return [
        BotCommand(command=name, description=i18n.gettext(description, locale=locale))
        for name, description in entries
    ]


async def register_commands(
    bot: Bot, i18n: CatalogI18n, coordinator_chat_ids: Iterable[int]
) -> None:
    """Set the menus; a failure is logged and the bot goes on (the menu is a convenience)."""
    try:
        await bot.set_my_commands(
            commands_for(i18n, i18n.default_locale, coordinator=False),
            scope=BotCommandScopeDefault(),
        )
        for locale in SUPPORTED_LOCALES:
            await bot.set_my_commands(
                commands_for(i18n, locale, coordinator=False),
                scope=BotCommandScopeDefault(),
                language_code=locale,
            )
        if not COORDINATORS:
            return
        for chat_id in coordinator_chat_ids:
            for locale in SUPPORTED_LOCALES:
                await bot.set_my_commands(
                    commands_for(i18n, locale, coordinator=True),
                    scope=BotCommandScopeChat(chat_id=chat_id),
                    language_code=locale,
                )
    except TelegramAPIError as exc:
        logger.warning("could not register the command menu: %s", exc)
