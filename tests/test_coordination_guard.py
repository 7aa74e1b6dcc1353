"""Every coordinator command and button is refused to everyone else, also when the callback
data is forged, and nothing in the database changes.

The router tree is walked: every command and every callback prefix the bot handles must be
classified below as admin or public, and every handler of an admin command or prefix must
carry the IsCoordinator guard. A new admin handler without the guard, or a new command or
button nobody classified, makes these tests fail.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import select

from bot.filters.roles import IsCoordinator
from bot.keyboards import callbacks
from bot.keyboards.callbacks import (
    AttendanceCallback,
    BroadcastCallback,
    BroadcastComposeCallback,
    EventAdminCallback,
    EventFormCallback,
    ExportCallback,
    FacAdminCallback,
    IntroAction,
    IntroCallback,
    KnowledgeCallback,
    MeetupProposalCallback,
    RotaCallback,
    StatsCallback,
)
from handlers import feature_routers
from storage.base import Base
from storage.models import Broadcast
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.coordination_support import T0, add_event, add_user, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI

ADMIN_COMMANDS = {
    "verberg", "hide", "toon", "show",
    "nieuwetafel", "newtable", "nieuwetraining", "newtraining", "nieuwemeetup", "newmeetup",
    "beheer", "manage", "deelnemers", "participants", "wijzig", "change",
    "afgelasten", "calloff",
    "bericht", "broadcast", "rol", "role", "stats", "cijfers", "export", "log",
    "begeleiding", "facilitators", "verzoek", "request", "certificeer", "certify",
    "intrekken", "revoke", "vergeef", "forgive", "certificaten", "certificates",
    "rooster", "rota",
    "kennisnieuw", "newarticle",
}  # fmt: skip
PUBLIC_COMMANDS = {
    "start", "help", "hulp", "menu", "taal", "language",
    "agenda", "tafels", "tables", "trainingen", "trainings", "mijnagenda", "myagenda",
    "mijnstatus", "mystatus",
    "instellingen", "settings", "nieuw", "new", "mijn", "mine", "profiel", "profile",
    "stop", "annuleren", "cancel", "geenmededelingen", "noannouncements",
    "beschikbaarheid", "availability",
    "privacy", "mijngegevens", "mydata", "verwijder", "delete",
    "vraag", "ask", "helpen", "help_others", "kennis", "knowledge", "zoek", "zoeken", "search",
}  # fmt: skip
# Every handler of these buttons is for coordinators only.
ADMIN_PREFIXES = {"evm", "eva", "evf", "bcc", "bc", "st", "ex", "fa", "mtp", "ro"}
# Buttons shared by everyone and coordinators: their coordinator actions are in `_forged`.
MIXED_PREFIXES = {"itr", "kb"}
PUBLIC_PREFIXES = {
    "menu", "lang", "ev", "evl", "evr", "dg", "rg", "ini", "ijr",
    "fq", "fd", "fs", "pq", "sr", "si", "nb", "pv", "cf", "fb", "wl", "evp", "ap", "mx",
}  # fmt: skip

REFUSAL = {"nl": "Sorry, dit kunnen alleen coördinatoren doen.",
           "en": "Sorry, only coordinators can do this."}  # fmt: skip


@dataclass
class HandlerInfo:
    where: str
    commands: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    guarded: bool = False


def _handlers(router: Router, guarded_above: bool = False) -> list[HandlerInfo]:
    found: list[HandlerInfo] = []
    for observer_name, observer in router.observers.items():
        observer_guard = guarded_above or any(
            isinstance(f.callback, IsCoordinator) for f in observer._handler.filters
        )
        for handler in observer.handlers:
            info = HandlerInfo(f"{router.name}.{observer_name}.{handler.callback.__name__}")
            for filter_object in handler.filters or []:
                check = filter_object.callback
                if isinstance(check, Command):
                    info.commands |= {str(c).lower() for c in check.commands}
                elif isinstance(check, CallbackQueryFilter):
                    info.prefixes.add(check.callback_data.__prefix__)
                elif isinstance(check, IsCoordinator):
                    info.guarded = True
            info.guarded = info.guarded or observer_guard
            found.append(info)
    for sub_router in router.sub_routers:
        found.extend(_handlers(sub_router, guarded_above))
    return found


def _all_handlers() -> list[HandlerInfo]:
    return [found for router in feature_routers() for found in _handlers(router)]


def _callback_classes() -> dict[str, type[CallbackData]]:
    return {
        cls.__prefix__: cls
        for _name, cls in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData
    }


def test_every_command_and_button_is_classified_as_admin_or_public() -> None:
    handlers = _all_handlers()
    commands = set().union(*(h.commands for h in handlers))
    prefixes = set().union(*(h.prefixes for h in handlers)) | set(_callback_classes())
    classified = ADMIN_PREFIXES | MIXED_PREFIXES | PUBLIC_PREFIXES
    assert not ADMIN_COMMANDS & PUBLIC_COMMANDS
    assert len(classified) == len(ADMIN_PREFIXES) + len(MIXED_PREFIXES) + len(PUBLIC_PREFIXES)
    assert commands - ADMIN_COMMANDS - PUBLIC_COMMANDS == set(), "classify the new commands"
    assert prefixes - classified == set(), "classify the new buttons"
    assert commands >= ADMIN_COMMANDS | PUBLIC_COMMANDS, "stale commands in the lists"
    assert classified <= prefixes, "stale buttons in the lists"


def test_every_handler_of_an_admin_command_or_button_carries_the_guard() -> None:
    unguarded = [
        h.where
        for h in _all_handlers()
        if (h.commands & ADMIN_COMMANDS or h.prefixes & ADMIN_PREFIXES) and not h.guarded
    ]
    assert unguarded == []


def test_every_guarded_command_and_button_is_in_the_admin_lists() -> None:
    """So the refusal tests below feed every one of them."""
    for h in _all_handlers():
        if h.guarded:
            assert h.commands <= ADMIN_COMMANDS, h.where
            assert h.prefixes <= ADMIN_PREFIXES | MIXED_PREFIXES, h.where


def test_coordinator_menu_lists_only_admin_commands() -> None:
    from bot.commands import COORDINATORS

    assert {name for entry in COORDINATORS for name in entry.names} <= ADMIN_COMMANDS


async def _snapshot(repo: Repo) -> dict[str, list[str]]:
    repo.session.expire_all()
    tables: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        rows = (await repo.session.execute(select(table))).all()
        tables[table.name] = sorted(repr(tuple(row)) for row in rows)
    await repo.session.commit()
    return tables


@pytest.fixture
async def world(repo: Repo) -> dict[str, int]:
    """Something for each admin action to damage: an event with a sign-up, a draft."""
    await add_user(repo, 5001, role="coordinator")
    await add_user(repo, 5002)
    event = await add_event(repo)
    await register(repo, event.id, 5002)
    async with repo.write():
        draft = Broadcast(
            created_by=5001, created_at=T0, text="Hallo", audience={"everyone": True},
            status="draft", urgent=False, recipients=2, progress_shown=0,
        )  # fmt: skip
        repo.session.add(draft)
    return {"event": event.id, "registration": 1, "draft": draft.id}


def _forged(world: dict[str, int]) -> dict[str, list[str]]:
    """Callback data for each admin prefix, shaped as the real buttons are."""
    event, draft = world["event"], world["draft"]
    return {
        "evm": [
            # "participants" is no action of the real buttons: a forged one, packed by hand.
            f"evm:participants:{event}",
            *(
                EventAdminCallback(action=action, event_id=event).pack()
                for action in ("attendance", "qr", "cancel", "cancel_yes", "edit")
            ),
        ],
        "eva": [AttendanceCallback(registration_id=world["registration"], attended=False).pack()],
        "evf": [EventFormCallback(field="edit", value=f"seats-{event}").pack()],
        "bcc": [
            BroadcastComposeCallback(step=step, value=value).pack()
            for step, value in (
                ("button", "link"),
                ("everyone", ""),
                ("preview", ""),
                ("themes", "ouderen"),
                ("pick", "themes"),
            )
        ],
        "bc": [BroadcastCallback(action=a, id=draft).pack() for a in ("send", "later", "cancel")],
        "st": [StatsCallback(period="year").pack()],
        "ex": [ExportCallback(what=what).pack() for what in ("registrations", "audit")],
        "fa": [
            FacAdminCallback(action=action, event_id=event, value=value).pack()
            for action, value in (
                ("panel", ""),
                ("ask", "5002"),
                ("call", ""),
                ("level", "basis"),
                ("need", "1"),
            )
        ],
        "mtp": [
            MeetupProposalCallback(action=action, id=1).pack()
            for action in ("create", "dismiss", "publish")
        ],
        "itr": [IntroCallback(action=IntroAction.BAN, id=1).pack()],
        "ro": [RotaCallback(month="2604", send=send).pack() for send in (True, False)],
        "kb": [
            KnowledgeCallback(action=action, id=1).pack()
            for action in ("save", "edit", "field", "del", "delyes")
        ],
    }


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_admin_command_is_refused_to_a_resident(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, world: dict[str, int], language: str
) -> None:
    resident = make_user(language_code=language, username="bewoner")
    await add_user(
        repo,
        resident.id,
        username="bewoner",
        first_name=resident.first_name,
        telegram_language=language,
    )
    before = await _snapshot(repo)
    for command in sorted(ADMIN_COMMANDS):
        await feed(message_update(resident, f"/{command} {world['event']} bewoner coordinator"))
        reply = bot_api.take(SendMessage)
        assert (command, reply.text) == (command, REFUSAL[language])
        assert not bot_api.calls, command
    assert await _snapshot(repo) == before


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_every_admin_button_is_refused_to_a_resident_even_when_forged(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, world: dict[str, int], language: str
) -> None:
    resident = make_user(language_code=language)
    await add_user(
        repo,
        resident.id,
        role="facilitator",
        first_name=resident.first_name,
        telegram_language=language,
    )
    forged = _forged(world)
    assert set(forged) == ADMIN_PREFIXES | MIXED_PREFIXES, "give every admin button forged data"
    before = await _snapshot(repo)
    for samples in forged.values():
        for data in samples:
            await feed(callback_update(resident, data))
            answer = bot_api.take(AnswerCallbackQuery)
            assert (data, answer.text, answer.show_alert) == (data, REFUSAL[language], True)
            assert not bot_api.calls, data
    assert await _snapshot(repo) == before
