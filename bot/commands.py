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
    ("zoek", N_("Search initiatives")),
    ("nieuw", N_("Add your initiative")),
    ("mijn", N_("Your initiatives")),
    ("vraag", N_("Ask other initiatives a question")),
    ("kennis", N_("Knowledge base: rules and practical tips")),
    ("helpen", N_("Offer help to other initiatives")),
    ("agenda", N_("Tables, trainings and meetups")),
    ("tafels", N_("Upcoming dialogue tables")),
    ("trainingen", N_("Upcoming trainings")),
    ("mijnagenda", N_("Your sign-ups")),
    ("instellingen", N_("Weekly overview and other settings")),
    ("privacy", N_("What we keep about you, and why")),
    ("mijngegevens", N_("Get all your data as a file")),
    ("verwijder", N_("Delete all your data")),
)
COORDINATORS: tuple[tuple[str, str], ...] = (
    ("verberg", N_("Hide an initiative (moderation)")),
    ("toon", N_("Show a hidden initiative again")),
    ("kennisnieuw", N_("Write a knowledge-base article")),
    ("nieuwetafel", N_("Create a dialogue table")),
    ("nieuwetraining", N_("Create a training")),
    ("nieuwemeetup", N_("Create a meetup")),
    ("beheer", N_("Manage an event: link, QR code, actions")),
    ("deelnemers", N_("Participants of an event")),
    ("wijzig", N_("Change an event's time, place or seats")),
    ("afgelasten", N_("Call off an event")),
    ("begeleiding", N_("Facilitators of a table: ask, open call")),
    ("verzoek", N_("Ask a facilitator to lead a table")),
    ("certificeer", N_("Record a facilitator's certificate")),
    ("bericht", N_("Send an announcement to a group")),
    ("stats", N_("Figures for a period")),
    ("export", N_("Export to a CSV file")),
    ("rol", N_("Give someone a role")),
    ("log", N_("Log of admin actions")),
)


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
