"""Every command a person can type, with its Dutch and English name: the chat's command menu (in
the person's language, with extra entries for facilitators and coordinators), the /help text and
the "did you mean" for a mistyped command all come from this one list.

Both names of a command work for everyone; the menu and /help show the name of the person's own
language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from rapidfuzz.distance import OSA

from bot.config import SUPPORTED_LOCALES
from bot.i18n import N_, CatalogI18n

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommandEntry:
    dutch: str
    english: str
    description: str  # msgid, translated when shown
    section: str = ""  # msgid of the /help heading it is listed under

    def name(self, locale: str) -> str:
        return self.english if locale.startswith("en") else self.dutch

    @property
    def names(self) -> tuple[str, ...]:
        return (self.dutch,) if self.dutch == self.english else (self.dutch, self.english)


FIND = N_("Finding")
TAKE_PART = N_("Taking part")
YOUR_INITIATIVE = N_("Your initiative")
YOU = N_("You and your data")
FACILITATING = N_("Facilitating")
COORDINATING = N_("For coordinators")

EVERYONE: tuple[CommandEntry, ...] = (
    CommandEntry("start", "start", N_("Start and get the welcome")),
    CommandEntry("menu", "menu", N_("Everything at a glance")),
    CommandEntry("help", "help", N_("How it works")),
    CommandEntry("zoek", "search", N_("Search initiatives"), FIND),
    CommandEntry("kennis", "knowledge", N_("Knowledge base: rules and practical tips"), FIND),
    CommandEntry("agenda", "agenda", N_("Tables, trainings and meetups"), TAKE_PART),
    CommandEntry("tafels", "tables", N_("Upcoming dialogue tables"), TAKE_PART),
    CommandEntry("trainingen", "trainings", N_("Upcoming trainings"), TAKE_PART),
    CommandEntry("mijnagenda", "myagenda", N_("Your sign-ups"), TAKE_PART),
    CommandEntry("mijnstatus", "mystatus", N_("Your record of late cancellations"), TAKE_PART),
    CommandEntry("nieuw", "new", N_("Add your initiative"), YOUR_INITIATIVE),
    CommandEntry("mijn", "mine", N_("Your initiatives"), YOUR_INITIATIVE),
    CommandEntry("vraag", "ask", N_("Ask other initiatives a question"), YOUR_INITIATIVE),
    CommandEntry("helpen", "help_others", N_("Offer help to other initiatives"), YOUR_INITIATIVE),
    CommandEntry("taal", "language", N_("Choose your language"), YOU),
    CommandEntry("instellingen", "settings", N_("Weekly overview and other settings"), YOU),
    CommandEntry(
        "geenmededelingen",
        "noannouncements",
        N_("No more announcements from the coordinators"),
        YOU,
    ),
    CommandEntry("privacy", "privacy", N_("What we keep about you, and why"), YOU),
    CommandEntry("mijngegevens", "mydata", N_("Download all your data as a file"), YOU),
    CommandEntry("verwijder", "delete", N_("Delete all your data"), YOU),
)
FACILITATORS: tuple[CommandEntry, ...] = (
    CommandEntry("beschikbaarheid", "availability", N_("When you can lead a table"), FACILITATING),
)
COORDINATORS: tuple[CommandEntry, ...] = (
    CommandEntry("verberg", "hide", N_("Hide an initiative (moderation)"), COORDINATING),
    CommandEntry("toon", "show", N_("Show a hidden initiative again"), COORDINATING),
    CommandEntry("kennisnieuw", "newarticle", N_("Write a knowledge-base article"), COORDINATING),
    CommandEntry("nieuwetafel", "newtable", N_("Create a dialogue table"), COORDINATING),
    CommandEntry("nieuwetraining", "newtraining", N_("Create a training"), COORDINATING),
    CommandEntry("nieuwemeetup", "newmeetup", N_("Create a meetup"), COORDINATING),
    CommandEntry("beheer", "manage", N_("Manage an event: link, QR code, actions"), COORDINATING),
    CommandEntry("deelnemers", "participants", N_("Participants of an event"), COORDINATING),
    CommandEntry(
        "wijzig", "change", N_("Change an event: time, place, seats and more"), COORDINATING
    ),
    CommandEntry("vergeef", "forgive", N_("Set someone's record back to zero"), COORDINATING),
    CommandEntry("rooster", "rota", N_("Next month's proposed rota of facilitators"), COORDINATING),
    CommandEntry("afgelasten", "calloff", N_("Call off an event"), COORDINATING),
    CommandEntry(
        "begeleiding", "facilitators", N_("Facilitators of a table: ask, open call"), COORDINATING
    ),
    CommandEntry("verzoek", "request", N_("Ask a facilitator to lead a table"), COORDINATING),
    CommandEntry("certificeer", "certify", N_("Record a facilitator's certificate"), COORDINATING),
    CommandEntry("intrekken", "revoke", N_("Take a certificate back, with a reason"), COORDINATING),
    CommandEntry(
        "certificaten", "certificates", N_("Certificates and when they lapse"), COORDINATING
    ),
    CommandEntry("bericht", "broadcast", N_("Send an announcement to a group"), COORDINATING),
    CommandEntry("stats", "stats", N_("Figures for a period"), COORDINATING),
    CommandEntry("export", "export", N_("Export to a CSV file"), COORDINATING),
    CommandEntry("rol", "role", N_("Give someone a role"), COORDINATING),
    CommandEntry("log", "log", N_("Log of admin actions"), COORDINATING),
)
ALL: tuple[CommandEntry, ...] = EVERYONE + FACILITATORS + COORDINATORS


def entries_for(*, coordinator: bool = False, facilitator: bool = False) -> list[CommandEntry]:
    """The commands of a role, in menu order."""
    entries = list(EVERYONE)
    if facilitator or coordinator:
        entries += FACILITATORS
    if coordinator:
        entries += COORDINATORS
    return entries


def commands_for(
    i18n: CatalogI18n, locale: str, *, coordinator: bool, facilitator: bool = False
) -> list[BotCommand]:
    return [
        BotCommand(
            command=entry.name(locale), description=i18n.gettext(entry.description, locale=locale)
        )
        for entry in entries_for(coordinator=coordinator, facilitator=facilitator)
    ]


def closest_command(
    typed: str, locale: str, *, coordinator: bool = False, facilitator: bool = False
) -> str | None:
    """The command a mistyped one most likely meant, in the person's language, or None."""
    words = typed.lstrip("/").split("@", 1)[0].split(maxsplit=1)
    word = words[0].lower() if words else ""
    if len(word) < 2:
        return None
    best: tuple[float, str] | None = None
    for entry in entries_for(coordinator=coordinator, facilitator=facilitator):
        for name in entry.names:
            score = OSA.normalized_similarity(word, name)
            if score >= 0.6 and (best is None or score > best[0]):
                best = (score, entry.name(locale))
    return best[1] if best else None


async def register_commands(
    bot: Bot,
    i18n: CatalogI18n,
    coordinator_chat_ids: Iterable[int],
    facilitator_chat_ids: Iterable[int] = (),
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
        coordinators = set(coordinator_chat_ids)
        for chat_id in sorted(coordinators | set(facilitator_chat_ids)):
            await set_chat_commands(
                bot, i18n, chat_id, coordinator=chat_id in coordinators, facilitator=True
            )
    except TelegramAPIError as exc:
        logger.warning("could not register the command menu: %s", exc)


async def set_chat_commands(
    bot: Bot, i18n: CatalogI18n, chat_id: int, *, coordinator: bool, facilitator: bool
) -> None:
    """One person's own menu: with their role's commands, or the normal menu again."""
    scope = BotCommandScopeChat(chat_id=chat_id)
    for locale in SUPPORTED_LOCALES:
        if coordinator or facilitator:
            await bot.set_my_commands(
                commands_for(i18n, locale, coordinator=coordinator, facilitator=facilitator),
                scope=scope,
                language_code=locale,
            )
        else:
            await bot.delete_my_commands(scope=scope, language_code=locale)
