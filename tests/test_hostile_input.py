"""Hostile and odd input, generated: random and very long text, every kind of Unicode, HTML,
every command with junk arguments, media of every type, edited messages, groups and channels,
forged and stale callback data, inline queries, in every conversation state, fed to the real
Dispatcher. Nothing may escape, break Telegram's limits, speak the wrong language, write for a
forged button, or do an admin action for someone who is not a coordinator.

300 examples by default; `HOSTILE_EXAMPLES=5000` for a nightly run.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Chat, InlineQuery, Message, MessageEntity, Update, User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import build_bot, build_dispatcher
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import create_i18n, pick_locale
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.base import Base
from storage.engine import SessionPool, create_engine, create_session_pool
from storage.models import AuditEntry, Broadcast, Event
from storage.models import User as Person
from storage.repositories import Repo
from tests import hostile_support as hs
from tests.conftest import Feeder
from tests.coordination_support import add_event, add_initiative, add_user
from tests.mocked_bot import MockedBotAPI

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "300"))
# Collects every problem instead of stopping at the first (to see them all at once).
SURVEY = bool(os.environ.get("HOSTILE_SURVEY"))
COORDINATOR = 777_000_001
RESIDENT_NL, RESIDENT_EN, FACILITATOR = 6_100_001, 6_100_002, 6_100_003
PEOPLE = {
    RESIDENT_NL: ("Anna", "nl", "resident"),
    RESIDENT_EN: ("Emma", "en", "resident"),
    FACILITATOR: ("Fatima", "nl", "facilitator"),
    COORDINATOR: ("Kees", "nl", "coordinator"),
}
_update_ids = iter(range(10**12, 10**13))


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    dispatcher: Dispatcher
    bot: Bot
    api: MockedBotAPI
    pool: SessionPool
    commands: list[str]
    states: list[str]
    ids: list[int]
    markers: dict[str, list[str]]
    errors: _Errors
    problems: list[str] = field(default_factory=list)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)


async def _build(path: Path) -> tuple[Dispatcher, Bot, MockedBotAPI, SessionPool, list[int]]:
    engine = create_engine(f"sqlite+aiosqlite:///{path / 'hostile.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    pool = create_session_pool(engine)
    cfg = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=str(engine.url),
        coordinator_ids=(COORDINATOR,),
    )
    dispatcher = build_dispatcher(
        cfg,
        session_pool=pool,
        clock=FakeClock(),
        i18n=create_i18n("nl"),
        scheduler=build_scheduler(),
        storage=MemoryStorage(),
        throttling=ThrottlingMiddleware(limit=10**6),
    )
    api = MockedBotAPI()
    async with pool() as session:
        repo = Repo(session)
        for user_id, (name, language, role) in PEOPLE.items():
            await add_user(repo, user_id, first_name=name, role=role, telegram_language=language)
        live = await add_event(repo)
        gone = await add_event(repo, title="Afgelast")
        initiative = await add_initiative(repo, [RESIDENT_NL])
        removed = await add_initiative(repo, [RESIDENT_EN], name="Weg")
        async with repo.write():
            await session.delete(gone)
            await session.delete(removed)
    # Ids of deleted things, of nothing, and the edges of the integer range.
    ids = [gone.id, removed.id, 0, -1, 999_999, 2**63 - 1, -(2**63), 10**30]
    del live, initiative
    return dispatcher, build_bot(cfg, api), api, pool, ids


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    loop = asyncio.new_event_loop()
    dispatcher, bot, api, pool, ids = loop.run_until_complete(_build(tmp_path))
    errors = _Errors()
    logging.getLogger("handlers.errors").addHandler(errors)
    yield World(
        loop,
        dispatcher,
        bot,
        api,
        pool,
        hs.commands(dispatcher),
        hs.all_states(),
        ids,
        hs.language_markers(),
        errors,
    )
    logging.getLogger("handlers.errors").removeHandler(errors)
    loop.run_until_complete(pool.kw["bind"].dispose())
    loop.close()


# One generated step: who, in which state, sends what.


@dataclass(frozen=True)
class Step:
    user_id: int
    state: str | None
    kind: str
    payload: Any
    chat: Chat


def steps(world: World) -> st.SearchStrategy[Step]:
    users = st.sampled_from(sorted(PEOPLE))
    states = st.none() | st.sampled_from(world.states)
    commands = st.tuples(st.sampled_from(world.commands), hs.texts).map(
        lambda pair: f"/{pair[0]} {pair[1]}".strip()
    )
    callback = hs.junk_callback(hs.callback_classes(), world.ids)

    def build(user_id: int) -> st.SearchStrategy[Step]:
        kinds = st.one_of(
            st.tuples(st.just("text"), hs.texts),
            st.tuples(st.just("text"), commands),
            st.tuples(st.just("edited"), hs.texts),
            st.tuples(st.just("media"), hs.media(user_id)),
            st.tuples(st.just("callback"), callback),
            st.tuples(st.just("inline"), hs.texts),
            st.tuples(st.just("channel"), hs.texts),
        )
        return st.builds(
            lambda state, kind, chat: Step(user_id, state, kind[0], kind[1], chat),
            states,
            kinds,
            hs.chats(user_id),
        )

    return users.flatmap(build)


def _update(step: Step) -> Update:
    name, language, _role = PEOPLE[step.user_id]
    sender = User(id=step.user_id, is_bot=False, first_name=name, language_code=language)
    update_id = next(_update_ids)
    when = hs.now()

    def message(**extra: Any) -> Message:
        return Message(message_id=update_id % 10**6, date=when, chat=step.chat, **extra)

    if step.kind == "callback":
        return Update(
            update_id=update_id,
            callback_query=CallbackQuery(
                id=str(update_id),
                from_user=sender,
                chat_instance="x",
                message=message(from_user=sender, text="…"),
                data=step.payload,
            ),
        )
    if step.kind == "inline":
        return Update(
            update_id=update_id,
            inline_query=InlineQuery(
                id=str(update_id), from_user=sender, query=step.payload[:256], offset=""
            ),
        )
    if step.kind == "channel":
        channel = Chat(id=-100_999, type="channel", title="Kanaal")
        post = Message(message_id=1, date=when, chat=channel, text=step.payload or "x")
        return Update(update_id=update_id, channel_post=post)
    if step.kind == "media":
        return Update(update_id=update_id, message=message(from_user=sender, **step.payload))
    text = step.payload or " "
    entities = []
    if text.startswith("/"):
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    if step.kind == "edited":
        edited = message(
            from_user=sender, text=text, entities=entities or None, edit_date=int(when.timestamp())
        )
        return Update(update_id=update_id, edited_message=edited)
    return Update(
        update_id=update_id, message=message(from_user=sender, text=text, entities=entities or None)
    )


async def _counts(pool: SessionPool) -> dict[str, int]:
    async with pool() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
            if table.name != "users"
        }


async def _admin_facts(pool: SessionPool) -> tuple[Any, ...]:
    async with pool() as session:
        roles = await session.execute(
            select(Person.role, func.count()).group_by(Person.role).order_by(Person.role)
        )
        return (
            await session.scalar(select(func.count()).select_from(Event)),
            await session.scalar(select(func.count()).select_from(Broadcast)),
            await session.scalar(select(func.count()).select_from(AuditEntry)),
            tuple(tuple(row) for row in roles),
        )


async def _locale(pool: SessionPool, user_id: int) -> str:
    async with pool() as session:
        person = await session.get(Person, user_id)
    chosen = person.language if person else None
    return pick_locale(chosen, PEOPLE[user_id][1], "nl")


async def _play(world: World, step: Step) -> list[str]:
    problems = []
    key = StorageKey(bot_id=world.bot.id, chat_id=step.chat.id, user_id=step.user_id)
    if step.state is not None:
        await world.dispatcher.storage.set_state(key, step.state)
    forged = step.kind == "callback"
    before = await _counts(world.pool) if forged else None
    admin_before = await _admin_facts(world.pool)
    world.errors.records.clear()
    update = _update(step)
    try:
        await world.dispatcher.feed_update(world.bot, update)
    except Exception as exc:  # what this test looks for: nothing may escape
        problems.append(f"escaped: {type(exc).__name__}: {exc}"[:600])
    problems += [
        f"logged: {r.getMessage()} {r.exc_info[1]!r}"[:300]
        for r in world.errors.records
        if r.exc_info
    ]
    calls = world.api.take_all()
    locale = await _locale(world.pool, step.user_id)
    for call in calls:
        problems += hs.limit_problems(call)
        for text in hs.texts_of(call):
            wrong = [m for m in world.markers[locale] if m in text]
            if wrong:
                problems.append(f"{locale} user got {wrong[0]!r} in {text[:80]!r}")
    if forged and before is not None:
        after = await _counts(world.pool)
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            problems.append(f"forged callback {step.payload!r} wrote {changed}")
    if PEOPLE[step.user_id][2] != "coordinator" and await _admin_facts(world.pool) != admin_before:
        problems.append(
            f"admin action by a {PEOPLE[step.user_id][2]}: {step.kind} {step.payload!r}"[:300]
        )
    await world.dispatcher.storage.set_state(key, None)
    return [f"[{step.kind} in {step.state} by {step.user_id}] {p}" for p in problems]


def test_hostile_updates_never_break_the_bot(world: World) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=os.environ.get("HOSTILE_SEED") is None,
    )
    @given(st.lists(steps(world), min_size=1, max_size=4))
    def attack(sequence: list[Step]) -> None:
        problems: list[str] = []
        for step in sequence:
            problems += world.run(_play(world, step))
        if SURVEY:
            world.problems += problems
            return
        assert problems == []

    attack()
    if SURVEY:
        for problem in sorted({p.split("] ", 1)[1][:200] for p in world.problems}):
            print("PROBLEM", problem)


def test_discovery_finds_the_commands_states_and_buttons(world: World) -> None:
    assert {"start", "nieuw", "verwijder", "beheer", "rol"} <= set(world.commands)
    assert "PrivacyStates:confirm_erase" in world.states
    prefixes = {cls.__prefix__ for cls in hs.callback_classes()}
    assert {"menu", "ev", "rg", "pv"} <= prefixes
    assert world.markers["nl"] and world.markers["en"]


# The defects the generated input found, pinned down.


async def test_a_button_with_an_impossible_number_is_answered_and_dropped(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    from aiogram.methods import AnswerCallbackQuery

    from tests.factories import callback_update, make_user

    await feed(callback_update(make_user(), f"ev:join:{10**30}"))
    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text is None


async def test_a_conversation_whose_answers_went_missing_starts_over_kindly(
    feed: Feeder, bot_api: MockedBotAPI, dispatcher: Dispatcher, bot: Bot
) -> None:
    from aiogram.methods import SendMessage

    from bot.states import EditStates
    from tests.factories import make_user, message_update

    anna = make_user(language_code="nl")
    key = StorageKey(bot_id=bot.id, chat_id=anna.id, user_id=anna.id)
    await dispatcher.storage.set_state(key, EditStates.value)  # no data with it

    await feed(message_update(anna, "Nieuwe naam"))

    assert bot_api.take(SendMessage).text == (
        "Sorry, ik ben kwijt waar we waren. Begin gerust opnieuw: /menu laat alles zien."
    )
    assert await dispatcher.storage.get_state(key) is None


async def test_a_forged_digest_button_stores_nothing(feed: Feeder, bot_api: MockedBotAPI) -> None:
    from aiogram.methods import AnswerCallbackQuery

    from tests.factories import callback_update, make_user

    await feed(callback_update(make_user(), "dg:zzz:x"))
    bot_api.take(AnswerCallbackQuery)
    count = await feed.repo.session.scalar(
        select(func.count()).select_from(Base.metadata.tables["digest_subscriptions"])
    )
    assert count == 0


async def test_a_junk_settings_button_from_a_facilitator_saves_nothing(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    """Buttons a facilitator's client could send but the bot never made: no action, an action
    it doesn't know, a number that is no number. Nothing is stored and nothing says "Saved"."""
    from aiogram.methods import AnswerCallbackQuery

    from tests.factories import callback_update, make_user

    fatima = make_user(language_code="nl")
    await add_user(feed.repo, fatima.id, role="facilitator", first_name="Fatima")
    junk = ("fs::2", "fs:zzz:2", "fs:max:abc", "fs:max:-1", "fs:max:99", "fs:del:x", "fs:del:-5")
    for data in (*junk, f"fs:max:{10**30}"):
        await feed(callback_update(fatima, data))
        answer = bot_api.take(AnswerCallbackQuery)
        assert (data, answer.text) != (data, "Opgeslagen.")
        assert not bot_api.calls, data
    profiles = await feed.repo.session.scalar(
        select(func.count()).select_from(Base.metadata.tables["facilitator_profiles"])
    )
    assert profiles == 0


async def test_an_agenda_button_with_an_unknown_kind_shows_all_events(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    """A forged or old agenda filter ("evl:<junk>:…") never reaches the database as a kind:
    the agenda opens with every kind, nothing goes wrong."""
    from aiogram.methods import AnswerCallbackQuery, EditMessageText

    from tests.factories import callback_update, make_user

    await add_event(feed.repo, title="Samen aan tafel")
    await feed(callback_update(make_user(language_code="nl"), "evl:ap\x16ê(\x86´:::0:0:"))
    bot_api.take(AnswerCallbackQuery)
    agenda = bot_api.take(EditMessageText)
    assert (agenda.text or "").startswith("📅 <b>Agenda</b>")
    assert "Samen aan tafel" in (agenda.text or "")
