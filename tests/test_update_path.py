"""The update path stays short: no filter is sent to a thread (aiogram would run every
synchronous filter through `asyncio.to_thread`)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.filters.on_the_loop import filters_of
from bot.keyboards.callbacks import EventListCallback
from tests.conftest import Feeder
from tests.factories import block_update, callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI


def test_every_filter_of_the_dispatcher_runs_on_the_loop(dispatcher: Dispatcher) -> None:
    filters = list(filters_of(dispatcher))
    assert len(filters) > 50
    assert [f for f in filters if not f.awaitable] == []


@pytest.mark.parametrize("text", ["hallo", "repair cafe utrecht", "/menu", "/zoek moestuin"])
async def test_text_updates_make_no_thread_hops(
    feed: Feeder, bot_api: MockedBotAPI, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    hops: list[str] = []
    real = asyncio.to_thread

    async def counting(function: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(function, "__qualname__", repr(function)))
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    await feed(message_update(make_user(language_code="nl"), text))
    assert bot_api.take_all()
    assert [hop for hop in hops if "resolve" in hop or "lambda" in hop] == []


def test_starting_the_bot_does_not_load_the_chart_library() -> None:
    """matplotlib costs every process tens of megabytes: it loads with the first chart."""
    import subprocess
    import sys

    code = (
        "import sys, bot.app, bot.cli.main, bot.runner, handlers; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


async def test_bot_api_answer_models_are_built_once_and_kept(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    """pydantic holds parametrised models weakly; the bot keeps aiogram's `Response[...]`
    model of each kind of request it sent, so parsing an answer never builds one again."""
    import gc

    from aiogram.methods import Response, SendMessage
    from aiogram.types import Message

    from bot.response_models import kept

    await feed(message_update(make_user(), "/menu"))
    bot_api.take(SendMessage)
    model = kept(SendMessage)
    gc.collect()
    assert model is not None and Response[Message] is model


async def test_an_update_that_arrives_again_is_dropped_before_lock_and_state(
    feed: Feeder, bot_api: MockedBotAPI, dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A webhook retry or a second process: the repeat costs one check, no per-person lock and
    no conversation state (in Redis those are three more round trips)."""
    isolation = dispatcher.fsm.events_isolation
    locks: list[object] = []
    real_lock = isolation.lock

    def counting_lock(key: Any) -> Any:
        locks.append(key)
        return real_lock(key)

    monkeypatch.setattr(isolation, "lock", counting_lock)
    update = message_update(make_user(language_code="nl"), "/menu")
    await feed(update)
    assert bot_api.take_all()
    assert len(locks) == 1

    await feed(update)
    assert not bot_api.calls
    assert len(locks) == 1


async def test_the_bot_answers_while_the_search_index_is_still_being_built(
    feed: Feeder,
    bot_api: MockedBotAPI,
    dispatcher: Dispatcher,
    session_pool: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At start the index is built in a worker thread: /menu is answered meanwhile, a search
    waits for the index instead of finding nothing, and then answers."""
    import threading

    import bot.services.search.index_sync as index_sync
    from bot.search import SearchIndex

    release = threading.Event()

    class SlowIndex(SearchIndex):
        def build(self, documents: Any) -> None:
            assert release.wait(10)
            super().build(documents)

    monkeypatch.setattr(index_sync, "SearchIndex", SlowIndex)
    holder = dispatcher["search_index"]
    holder.load_in_background(session_pool)
    anna = make_user(language_code="nl")

    await feed(message_update(anna, "/menu"))
    assert bot_api.take_all()
    assert not holder.loaded

    search = asyncio.create_task(feed(message_update(anna, "/zoek moestuin")))
    await asyncio.sleep(0.2)
    assert not search.done() and not bot_api.calls
    release.set()
    await search
    assert holder.loaded
    assert any(isinstance(call, SendMessage) for call in bot_api.take_all())


async def test_a_sign_up_writes_its_reminders_in_one_statement(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement inside the sign-up's write transaction holds the database's write lock
    (on SQLite, for everyone): the reminders and the "Kom je nog?" go in one INSERT, straight
    to the table (the ORM's bulk path for many rows of a model cost more than the INSERT)."""
    import sqlalchemy.orm.bulk_persistence
    from sqlalchemy import event, func, select

    from bot.keyboards.callbacks import EventAction, EventCallback
    from storage.models import OutboxMessage
    from tests.event_helpers import make_event

    table = await make_event(feed.repo, clock)
    inserts: list[str] = []

    def no_bulk_path(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("rows went through the ORM's bulk insert")

    monkeypatch.setattr(sqlalchemy.orm.bulk_persistence, "_bulk_insert", no_bulk_path)

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "INSERT INTO outbox" in statement:
            inserts.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        data = EventCallback(action=EventAction.JOIN, event_id=table.id).pack()
        await feed(callback_update(make_user(language_code="nl"), data))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    bot_api.take_all()
    rows = await feed.repo.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert (len(inserts), rows) == (1, 3)  # two reminders and the re-confirmation, at once


@contextmanager
def _server_round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What asyncpg sends PostgreSQL, one entry per round trip: a simple query as its text (a
    transaction's BEGIN, COMMIT), a prepared statement as its first word ("PREPARE" when it
    is prepared first)."""
    import asyncpg
    from asyncpg.prepared_stmt import PreparedStatement

    trips: list[str] = []
    execute, prepare, fetch = (
        asyncpg.Connection.execute, asyncpg.Connection.prepare, PreparedStatement.fetch,
    )  # fmt: skip

    async def sent_execute(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        trips.append(" ".join(query.split()))
        return await execute(self, query, *args, **kwargs)

    async def sent_prepare(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        trips.append("PREPARE")
        return await prepare(self, query, *args, **kwargs)

    async def sent_fetch(self: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(self.get_query().split()[0])
        return await fetch(self, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Connection, "execute", sent_execute)
    monkeypatch.setattr(asyncpg.Connection, "prepare", sent_prepare)
    monkeypatch.setattr(PreparedStatement, "fetch", sent_fetch)
    yield trips


async def test_a_sign_up_reads_the_event_and_its_numbers_in_one_statement(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sign-up holds the event's row while it counts, and reads the event, the person's place
    and the numbers in one statement once it holds it. On SQLite its transaction holds the
    database's write lock from the start. On PostgreSQL the row is locked by the transaction's
    BEGIN, in the same round trip (a statement sees what was committed as it began: the read
    must begin after any wait for the row): four round trips in all, with the seat and its
    reminders in one statement and the COMMIT."""
    from sqlalchemy import event

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    table_id = (await make_event(feed.repo, clock, capacity=20)).id
    anna, bram = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bram):
        await feed(message_update(person, "/menu"))
    bot_api.take_all()
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        if words[0] == "WITH":  # statements in one: what each part of it writes
            sent.append(" + ".join(sorted(re.findall(r"INSERT INTO \w+", statement))))
        else:
            sent.append(" ".join(words[:3]) if words[0] == "INSERT" else words[0])
        if "FOR UPDATE" in statement:
            sent[-1] += " FOR UPDATE"
        if "nextval" in statement:
            sent[-1] += " nextval"

    data = EventCallback(action=EventAction.JOIN, event_id=table_id).pack()
    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        await feed(callback_update(anna, data))
        first, sent[:] = list(sent), []
        with _server_round_trips(monkeypatch) as trips:
            await feed(callback_update(bram, data))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert [c.text for c in bot_api.take_all() if isinstance(c, AnswerCallbackQuery)] == [
        "Je bent aangemeld! Tot dan.",
        "Je bent aangemeld! Tot dan.",
    ]
    if engine.dialect.name == "sqlite":
        assert first == sent == ["SELECT", "INSERT INTO registrations", "INSERT INTO outbox"]
        return
    # The registration and its reminders in one statement, its id taken beforehand: new ids
    # are taken from the table's sequence twenty at a time, the first sign-up of the process
    # takes them.
    assert sent == ["SELECT", "INSERT INTO outbox + INSERT INTO registrations"]
    assert first == ["SELECT", "SELECT nextval", *sent[1:]]
    assert trips == [
        "BEGIN ISOLATION LEVEL READ COMMITTED; "
        f"SELECT 1 FROM events WHERE id = {table_id} FOR UPDATE",
        "SELECT",
        "WITH",
        "COMMIT",
    ]


async def test_a_cancellation_reads_the_event_and_the_persons_place_in_one_statement(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Giving up a seat holds the event's row while it reads the event and the person's place,
    in one statement once the row is held (on PostgreSQL the row is locked by the BEGIN, in
    the same round trip); then the seat is given up."""
    from sqlalchemy import event

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    table_id = (await make_event(feed.repo, clock, capacity=20)).id
    anna = make_user(language_code="nl")
    await feed(
        callback_update(anna, EventCallback(action=EventAction.JOIN, event_id=table_id).pack())
    )
    bot_api.take_all()
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement.split()[0] + (" FOR UPDATE" if "FOR UPDATE" in statement else ""))

    leave = EventCallback(action=EventAction.LEAVE_CONFIRMED, event_id=table_id).pack()
    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        with _server_round_trips(monkeypatch) as trips:
            await feed(callback_update(anna, leave))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    answers = [c.text for c in bot_api.take_all() if isinstance(c, AnswerCallbackQuery)]
    assert answers == ["Je bent afgemeld. Dank je wel dat je het laat weten!"]
    assert sent[:2] == ["SELECT", "UPDATE"]  # the read, then the seat given up
    if engine.dialect.name == "postgresql":
        assert trips[:2] == [
            "BEGIN ISOLATION LEVEL READ COMMITTED; "
            f"SELECT 1 FROM events WHERE id = {table_id} FOR UPDATE",
            "SELECT",
        ]


async def test_a_sign_up_stores_its_registration_without_the_unit_of_work(
    feed: Feeder, bot_api: MockedBotAPI, clock: Any
) -> None:
    """The new registration is one INSERT that returns its row, not a flush of the session (the
    ORM's unit of work cost a few times the INSERT); it is stored, with its seat."""
    from sqlalchemy import event, select
    from sqlalchemy.orm import Session

    from bot.keyboards.callbacks import EventAction, EventCallback
    from storage.models import Registration, RegistrationStatus
    from tests.event_helpers import make_event

    table = await make_event(feed.repo, clock)
    flushed: list[str] = []

    def seen(session: Session, *_args: Any) -> None:
        flushed.extend(type(obj).__name__ for obj in session.new)

    event.listen(Session, "before_flush", seen)
    try:
        anna = make_user(language_code="nl")
        data = EventCallback(action=EventAction.JOIN, event_id=table.id).pack()
        await feed(callback_update(anna, data))
    finally:
        event.remove(Session, "before_flush", seen)
    assert bot_api.take_all()[0].text == "Je bent aangemeld! Tot dan."
    assert "Registration" not in flushed
    stored = (await feed.repo.session.scalars(select(Registration))).all()
    assert [(r.user_id, r.status, r.seat_count) for r in stored] == [
        (anna.id, RegistrationStatus.CONFIRMED, 1)
    ]


def _user_reads(engine: Any) -> tuple[list[str], Any]:
    from sqlalchemy import event

    reads: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SELECT") and "FROM users" in statement:
            reads.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    return reads, seen


async def test_someone_seen_a_moment_ago_costs_no_database_read(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, dispatcher: Dispatcher
) -> None:
    from sqlalchemy import event

    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))
    bot_api.take_all()
    reads, seen = _user_reads(engine)
    try:
        await feed(message_update(anna, "/menu"))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)] == [
        "Wat wil je doen?"
    ]
    assert reads == []
    assert dispatcher["known_users"].hits == 1


async def test_an_update_that_asks_the_database_nothing_opens_no_session(
    feed: Feeder, bot_api: MockedBotAPI, dispatcher: Dispatcher
) -> None:
    """The update's session is opened when something first asks the database, and closed when
    the update ends: someone the process remembers opening the menu costs none."""
    pool = dispatcher["session_pool"]
    opened: list[Any] = []

    def counted() -> Any:
        opened.append(pool())
        return opened[-1]

    dispatcher.workflow_data["session_pool"] = counted
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))  # someone new: stored
    assert len(opened) == 1
    first = opened[0]
    assert not first.in_transaction() and len(first.identity_map) == 0  # closed
    await feed(message_update(anna, "/menu"))  # seen a moment ago: nothing to ask
    assert len(opened) == 1
    await feed(callback_update(anna, EventListCallback().pack()))  # the agenda reads it
    assert len(opened) == 2 and not opened[1].in_transaction()
    texts = [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)]
    assert texts[:2] == ["Wat wil je doen?", "Wat wil je doen?"]


async def test_an_updates_session_is_closed_in_a_task_of_its_own_only_while_it_holds_a_connection(
    engine: Any, session_pool: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy closes a session at the end of `async with` in a task of its own, so that a
    cancellation can't stop it halfway (two turns of the event loop). A session whose blocks
    all ended holds no connection and closes without awaiting anything: it is closed directly.
    One still in a transaction is closed the careful way, and its connection goes back."""
    import sqlalchemy.ext.asyncio.session as async_session
    from sqlalchemy import select

    from storage.engine import connection_counts
    from storage.repositories import Repo

    careful: list[Any] = []
    original = async_session._run_to_completion

    async def recorded(closing: Any) -> Any:
        careful.append(closing)
        return await original(closing)

    monkeypatch.setattr(async_session, "_run_to_completion", recorded)
    async with Repo.opened_when_used(session_pool) as repo:
        async with repo.read():
            await repo.search.version()
        async with repo.write():
            await repo.search.version()
        after_blocks = repo.session
    assert careful == []
    assert not after_blocks.in_transaction() and len(after_blocks.identity_map) == 0
    async with Repo.opened_when_used(session_pool) as repo:
        await repo.session.execute(select(1))  # outside any block: its transaction stays open
        left_open = repo.session
        assert left_open.in_transaction()
    assert len(careful) == 1
    assert not left_open.in_transaction()
    counts = connection_counts(engine)
    assert counts is None or counts.in_use == 0


def test_repositories_are_made_over_a_session_or_with_a_pool_not_both_nor_neither(
    session_pool: Any,
) -> None:
    from storage.repositories import Repo

    with pytest.raises(TypeError):
        Repo()
    with pytest.raises(TypeError):
        Repo(session_pool(), opens=session_pool)
    later = Repo(opens=session_pool)
    assert later.opened_session is None
    assert later.session is later.opened_session is not None


async def test_someone_new_or_not_seen_for_a_while_is_one_statement_in_one_transaction(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, dispatcher: Dispatcher, clock: Any
) -> None:
    """Whoever the process does not remember costs one statement on the users table: it stores
    someone new, or writes what changed of someone known (a new name from Telegram, being seen
    again after a while). Someone whose copy only grew too old to trust costs one read, as
    does someone the process never saw (after a restart) when nothing of them changed."""
    from datetime import timedelta

    from sqlalchemy import event

    from storage.models import User

    statements: list[str] = []
    in_transaction: list[bool] = []  # for each INSERT: sent inside BEGIN … COMMIT?

    def seen(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "users" in statement.split("(", 1)[0] or "FROM users" in statement:
            statements.append(statement.split(" ", 1)[0])
            if statements[-1] == "INSERT":
                isolation = conn.get_execution_options().get("isolation_level")
                in_transaction.append(isolation != "AUTOCOMMIT")

    async def stored(person_id: int) -> User:
        async with feed.repo.read():
            found = await feed.repo.session.get(User, person_id, populate_existing=True)
        assert found is not None
        return found

    async def menu(person: Any) -> tuple[list[str], int]:
        statements.clear()
        with counted_transactions(engine) as transactions:
            await feed(message_update(person, "/menu"))
        return list(statements), len(transactions)

    anna = make_user(language_code="nl", first_name="Anna")
    known = dispatcher["known_users"]
    moment = [0.0]
    known._monotonic = lambda: moment[0]
    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        assert await menu(anna) == (["INSERT"], 1)
        first_seen = clock.now()

        clock.advance(timedelta(minutes=2))  # the copy is too old to trust, nothing is new
        moment[0] += known.ttl + 1
        found, transactions = await menu(anna)
        assert found == ["SELECT"] and transactions <= 1

        known.forget_everyone()  # as after a restart: a statement that finds nothing to write
        assert await menu(anna) == (["INSERT", "SELECT"], 1)
        assert (await stored(anna.id)).last_seen_at == first_seen

        clock.advance(timedelta(hours=3))  # back after a while, with a new name
        moment[0] += known.ttl + 1
        renamed = make_user(id=anna.id, language_code="en", first_name="Anne")
        assert await menu(renamed) == (["INSERT"], 1)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)] == [
        "Wat wil je doen?",
        "Wat wil je doen?",
        "Wat wil je doen?",
        "What do you want to do?",
    ]
    # On PostgreSQL the one statement is a transaction of its own: no BEGIN and COMMIT.
    assert in_transaction == [engine.dialect.name == "sqlite"] * 3
    again = await stored(anna.id)
    assert (again.first_name, again.telegram_language, again.last_seen_at) == (
        "Anne",
        "en",
        clock.now(),
    )
    assert again.created_at == first_seen


async def test_a_coordinator_is_read_afresh_on_every_update_and_nothing_is_written(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, dispatcher: Dispatcher
) -> None:
    """A coordinator's copy is never trusted, so each update reads their row: one read, not the
    statement for someone unknown."""
    from sqlalchemy import event

    from tests.conftest import COORDINATOR_ID

    coordinator = make_user(id=COORDINATOR_ID, language_code="nl")
    await feed(message_update(coordinator, "/menu"))
    bot_api.take_all()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "users" in statement.split("(", 1)[0] or "FROM users" in statement:
            statements.append(statement.split(" ", 1)[0])

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        await feed(message_update(coordinator, "/menu"))
        await feed(message_update(coordinator, "/menu"))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    assert len([c for c in bot_api.take_all() if isinstance(c, SendMessage)]) == 2
    assert statements == ["SELECT", "SELECT"]
    assert dispatcher["known_users"].get(COORDINATOR_ID) is None


async def test_a_change_elsewhere_is_seen_within_seconds_and_a_demotion_at_once(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, dispatcher: Dispatcher, repo: Any
) -> None:
    """Another process changes people behind this one's back (plain SQL, no session here):
    a resident's new language shows after the short memory runs out; a coordinator is never
    remembered, so one who was demoted can't take an admin action even a second later."""
    from sqlalchemy import text

    from tests.conftest import COORDINATOR_ID
    from tests.coordination_support import add_user

    now = [0.0]
    known = dispatcher["known_users"]
    known._monotonic = lambda: now[0]
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))
    bot_api.take_all()
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE users SET language = 'en' WHERE id = :id"), {"id": anna.id}
        )
    await feed(message_update(anna, "/menu"))
    assert [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)] == [
        "Wat wil je doen?"
    ]
    now[0] += known.ttl + 1
    await feed(message_update(anna, "/menu"))
    assert [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)] == [
        "What do you want to do?"
    ]

    await add_user(repo, 6_200_001, role="coordinator", first_name="Kees")
    kees = make_user(id=6_200_001, language_code="nl")
    await feed(message_update(kees, "/log"))
    bot_api.take_all()
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE users SET role = 'resident' WHERE id = :id"), {"id": kees.id}
        )
    await feed(message_update(kees, "/log"))
    assert [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)] == [
        "Sorry, dit kunnen alleen coördinatoren doen."
    ]
    assert kees.id != COORDINATOR_ID


async def test_stopping_while_the_index_loads_leaves_nothing_running(
    dispatcher: Dispatcher, session_pool: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shutdown during the start-up build stops it, so no connection outlives the database."""
    import threading

    import bot.services.search.index_sync as index_sync
    from bot.search import SearchIndex

    started, release = threading.Event(), threading.Event()

    class SlowIndex(SearchIndex):
        def build(self, documents: Any) -> None:
            started.set()
            release.wait(10)
            super().build(documents)

    monkeypatch.setattr(index_sync, "SearchIndex", SlowIndex)
    holder = dispatcher["search_index"]
    holder.load_in_background(session_pool)
    assert await asyncio.to_thread(started.wait, 10)  # the build is under way
    loading = holder._loading
    await holder.stop_loading()
    release.set()
    assert loading is not None and loading.cancelled()
    assert not holder.loaded


@contextmanager
def counted_transactions(engine: Any) -> Iterator[list[str]]:
    """The transactions begun on `engine` inside the block (one "begin" each)."""
    from sqlalchemy import event

    begun: list[str] = []

    def began(_connection: Any) -> None:
        begun.append("begin")

    event.listen(engine.sync_engine, "begin", began)
    try:
        yield begun
    finally:
        event.remove(engine.sync_engine, "begin", began)


async def test_each_common_update_is_at_most_one_transaction_and_copies_no_keyboard(
    feed: Feeder,
    bot_api: MockedBotAPI,
    engine: Any,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every transaction is a pool checkout and, on SQLite, its own begin and end: the reads and
    writes of one update share one. A seat at a table (the card, the questions after it), an
    answer to the first question, a waitlist place (with other tables to try), the card, a
    search, the menu and one's own agenda."""
    import aiogram.utils.keyboard

    from bot.keyboards.callbacks import EventAction, EventCallback, MixCallback
    from bot.services.events import mix
    from tests.event_helpers import make_event
    from tests.search_support import add_gardens

    def no_copies(_value: Any, *_args: Any) -> Any:
        raise AssertionError("a keyboard was deep-copied")

    monkeypatch.setattr(aiogram.utils.keyboard, "deepcopy", no_copies)
    table = await make_event(feed.repo, clock, capacity=1)
    await add_gardens(feed.repo, clock.now())
    await make_event(feed.repo, clock, title="Nog een tafel")
    join = EventCallback(action=EventAction.JOIN, event_id=table.id).pack()
    card = EventCallback(action=EventAction.OPEN, event_id=table.id).pack()
    age = MixCallback(event_id=table.id, q=mix.AGE, v="3").pack()
    anna, bram = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bram):
        await feed(message_update(person, "/menu"))
    bot_api.take_all()
    seat, waiting = (
        "Je bent aangemeld! Tot dan.",
        "Vol = vol: je staat op plek 1 van de wachtlijst.",
    )
    steps = [
        (callback_update(anna, join), [seat, "🗣 <b>Samen aan tafel</b>", "🙋 Nog twee korte"]),
        (
            callback_update(bram, join),
            [waiting, "🗣 <b>Samen aan tafel</b>", "⏳ Je staat op plek 1", "🙋 Nog twee korte"],
        ),
        (callback_update(anna, age), [None, "In welke wijk of welk dorp woon je?"]),
        (callback_update(bram, card), [None, "🗣 <b>Samen aan tafel</b>"]),
        (message_update(anna, "/zoek moestuin"), ["🔎 <b>Resultaten voor “moestuin”</b> (2)"]),
        (message_update(anna, "/menu"), ["Wat wil je doen?"]),
        (message_update(anna, "/mijnagenda"), ["🗓 <b>Mijn agenda</b>"]),
    ]
    with counted_transactions(engine) as transactions:
        for update, answers in steps:
            transactions.clear()
            await feed(update)
            calls = bot_api.take_all()
            texts = [getattr(call, "text", None) for call in calls]
            assert len(texts) == len(answers), texts
            for text, start in zip(texts, answers, strict=True):
                assert text == start if start is None else (text or "").startswith(start), texts
            assert len(transactions) <= 1, (answers[0], len(transactions))


async def test_a_list_of_results_is_made_from_the_index_with_no_database_statement(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any
) -> None:
    """A search, the list near a shared location and [Similar] show the initiatives as the
    index holds them: once the index is current, none of them sends a statement. The card
    behind a result is read from the database."""
    from aiogram.types import Location
    from sqlalchemy import event

    from bot.keyboards.callbacks import SearchItemAction, SearchItemCallback
    from tests.search_support import add_gardens

    gardens = await add_gardens(feed.repo, clock.now())
    feed.dispatcher["search_index"]._monotonic = lambda: 0.0  # no recheck falls due meanwhile
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek moestuin"))  # anna is known, the index current
    bot_api.take_all()
    similar = SearchItemCallback(action=SearchItemAction.SIMILAR, id=gardens["bongerd"]).pack()
    card = SearchItemCallback(action=SearchItemAction.OPEN, id=gardens["bongerd"]).pack()
    statements: list[str] = []

    def sent(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    steps = [
        (message_update(anna, "/zoek moestuin"), "🔎 <b>Resultaten voor “moestuin”</b> (2)", 0),
        (
            message_update(anna, location=Location(latitude=52.0925, longitude=5.1000)),
            "📍 <b>Bij jou in de buurt</b> (3)",
            0,
        ),
        (callback_update(anna, similar), "🔁 <b>Lijkt op Buurtmoestuin De Bongerd</b>", 0),
        (callback_update(anna, card), "<b>Buurtmoestuin De Bongerd</b>", 1),
    ]
    event.listen(engine.sync_engine, "before_cursor_execute", sent)
    try:
        for update, start, expected in steps:
            statements.clear()
            await feed(update)
            texts = [getattr(call, "text", None) or "" for call in bot_api.take_all()]
            assert [text for text in texts if text.startswith(start)], texts
            assert len(statements) == expected, (start, statements)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", sent)


async def test_a_sign_up_and_a_card_compose_no_select_statement(
    feed: Feeder, bot_api: MockedBotAPI, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Composing a statement costs more than SQLAlchemy's cached compilation of it: the
    statements of a sign-up and of an event card are built once, with the values as
    parameters."""
    import os
    import sys

    from sqlalchemy.sql import selectable

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    table = await make_event(feed.repo, clock)
    join = EventCallback(action=EventAction.JOIN, event_id=table.id).pack()
    card = EventCallback(action=EventAction.OPEN, event_id=table.id).pack()
    anna, bram = make_user(language_code="nl"), make_user(language_code="nl")
    await feed(callback_update(anna, join))
    await feed(message_update(bram, "/menu"))
    bot_api.take_all()
    composed: list[str] = []
    for name in ("__init__", "where"):
        original = getattr(selectable.Select, name)

        def counting(self: Any, *args: Any, _name: str = name, _original: Any = original) -> Any:
            caller = sys._getframe(1).f_code.co_filename
            if f"{os.sep}sqlalchemy{os.sep}" not in caller:  # its own (`Session.get`) are cached
                composed.append(f"{_name} in {caller}")
            return _original(self, *args)

        monkeypatch.setattr(selectable.Select, name, counting)
    await feed(callback_update(bram, join))
    await feed(callback_update(bram, card))
    texts = [getattr(call, "text", "") or "" for call in bot_api.take_all()]
    assert texts[0] == "Je bent aangemeld! Tot dan."
    assert texts[-1].startswith("🗣 <b>Samen aan tafel</b>") and "✅ nog 8 plekken" in texts[-1]
    assert composed == []


async def test_a_sign_up_for_a_full_event_and_the_agenda_compose_no_select_statement(
    feed: Feeder, bot_api: MockedBotAPI, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The waitlist's suggestions (other tables on the theme with a seat left) and the
    agenda's lists are built once for each combination of filters, the values as parameters."""
    from datetime import timedelta

    from sqlalchemy.sql import selectable

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import START_DEFAULT, make_event

    full = await make_event(feed.repo, clock, capacity=1)
    await make_event(
        feed.repo, clock, title="Nog een tafel", starts_at=START_DEFAULT + timedelta(days=7)
    )
    join = EventCallback(action=EventAction.JOIN, event_id=full.id).pack()
    anna, bram, cas = (make_user(language_code="nl") for _ in range(3))
    await feed(callback_update(anna, join))
    await feed(callback_update(bram, join))  # the first on the waitlist: the statements exist
    await feed(message_update(bram, "/agenda"))
    await feed(message_update(cas, "/menu"))
    bot_api.take_all()
    composed: list[str] = []
    original = selectable.Select.where

    def counting(self: Any, *args: Any) -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if f"{os.sep}sqlalchemy{os.sep}" not in caller:
            composed.append(caller)
        return original(self, *args)

    monkeypatch.setattr(selectable.Select, "where", counting)
    await feed(callback_update(cas, join))
    waitlisted = [call for call in bot_api.take_all() if isinstance(call, SendMessage)]
    await feed(message_update(cas, "/agenda"))
    agenda = " ".join(getattr(call, "text", "") or "" for call in bot_api.take_all())
    offer = next(call for call in waitlisted if "wachtlijst" in call.text)
    assert offer.text.endswith("Hier is nog plek:"), offer.text
    assert _button_texts(offer) == ["🗣 Nog een tafel"]
    assert "Samen aan tafel" in agenda and "Nog een tafel" in agenda, agenda
    assert composed == []


def _button_texts(call: SendMessage) -> list[str]:
    markup = call.reply_markup
    assert markup is not None and hasattr(markup, "inline_keyboard")
    return [button.text for row in markup.inline_keyboard for button in row]


async def test_a_new_person_is_stored_without_composing_a_statement(
    feed: Feeder, bot_api: MockedBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The INSERT that stores someone new is built once; their details go in as parameters."""
    from sqlalchemy.sql import dml

    from storage.models import User

    await feed(message_update(make_user(language_code="nl"), "/start"))  # the statement exists
    bot_api.take_all()
    composed: list[str] = []
    original = dml.ValuesBase.values

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if f"{os.sep}sqlalchemy{os.sep}" not in caller:
            composed.append(caller)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(dml.ValuesBase, "values", counting)
    newcomer = make_user(language_code="nl")
    await feed(message_update(newcomer, "/start"))
    assert bot_api.take_all()
    async with feed.repo.read():
        stored = await feed.repo.session.get(User, newcomer.id)
    assert stored is not None and stored.first_name == newcomer.first_name
    assert composed == []


async def test_a_new_person_is_one_insert_and_nothing_left_to_write(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any
) -> None:
    """The row stored at first sight holds their details: no flush of the person afterwards,
    and no UPDATE; a coordinator's role is the one change written."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from storage.models import Role, User
    from tests.conftest import COORDINATOR_ID

    flushed: list[int] = []
    writes: list[str] = []

    def before_flush(session: Session, *_args: Any) -> None:
        flushed.extend(obj.id for obj in session.dirty if isinstance(obj, User))

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(("INSERT INTO users", "UPDATE users")):
            writes.append(statement.split(" ", 1)[0])

    event.listen(Session, "before_flush", before_flush)
    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        newcomer = make_user(language_code="nl")
        await feed(message_update(newcomer, "/start"))
        assert (flushed, writes) == ([], ["INSERT"])
        await feed(message_update(make_user(id=COORDINATOR_ID, language_code="nl"), "/menu"))
    finally:
        event.remove(Session, "before_flush", before_flush)
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    bot_api.take_all()
    async with feed.repo.read():
        stored = await feed.repo.session.get(User, newcomer.id)
        coordinator = await feed.repo.session.get(User, COORDINATOR_ID)
    assert stored is not None and stored.first_name == newcomer.first_name
    assert stored.last_seen_at == clock.now()
    assert coordinator is not None and coordinator.role == Role.COORDINATOR


async def test_a_tap_enters_only_the_routers_where_a_button_of_its_kind_is_handled(
    feed: Feeder,
    bot_api: MockedBotAPI,
    dispatcher: Dispatcher,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """aiogram enters router after router until one takes an update: a tap steps over every
    router (with its sub-routers) that has no button handler of its kind. A button of no known
    kind still reaches the fallback."""
    from aiogram import Router

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    entered: list[str] = []
    enter = Router._propagate_event

    async def noting(self: Router, *args: Any, **kwargs: Any) -> Any:
        if self is not dispatcher:
            entered.append(self.name)
        return await enter(self, *args, **kwargs)

    table = await make_event(feed.repo, clock)
    card = EventCallback(action=EventAction.OPEN, event_id=table.id).pack()
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))
    bot_api.take_all()
    monkeypatch.setattr(Router, "_propagate_event", noting)
    await feed(callback_update(anna, card))
    texts = [getattr(call, "text", None) or "" for call in bot_api.take_all()]
    assert texts[-1].startswith("🗣 <b>Samen aan tafel</b>"), texts
    assert entered == ["events", "events_browse"]

    entered.clear()
    await feed(callback_update(anna, "zz:42"))
    answers = [call for call in bot_api.take_all() if isinstance(call, AnswerCallbackQuery)]
    assert [answer.text for answer in answers] == [
        "Deze knop hoort bij een eerdere stap. Er is niets veranderd."
    ]
    assert entered == ["fallback"]


async def test_a_message_enters_only_the_routers_where_a_handler_could_take_it(
    feed: Feeder,
    bot_api: MockedBotAPI,
    dispatcher: Dispatcher,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A message steps over every router (with its sub-routers) whose message handlers all
    need another command, a state the chat is not in, typed text when it is a command, a reply
    to the bot when it replies to nothing, or a facilitator when it comes from a resident; the
    replies stay what they were."""
    from aiogram import Router

    from tests.facilitation_support import PIET, add_person, reply_update, tg_user

    entered: list[str] = []
    enter = Router._propagate_event

    async def noting(self: Router, *args: Any, **kwargs: Any) -> Any:
        if self is not dispatcher and kwargs.get("update_type", args[0] if args else "") == (
            "message"
        ):
            entered.append(self.name)
        return await enter(self, *args, **kwargs)

    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))
    bot_api.take_all()
    monkeypatch.setattr(Router, "_propagate_event", noting)

    await feed(message_update(anna, "/zoek moestuin"))
    texts = [getattr(call, "text", "") for call in bot_api.take_all()]
    assert texts[-1].startswith("🔎 Niets gevonden voor “moestuin”."), texts
    assert entered == ["search", "search"]

    entered.clear()
    await feed(message_update(anna, "/zoek"))  # search mode: the next text is the query
    bot_api.take_all()
    entered.clear()
    await feed(message_update(anna, "moestuin"))
    texts = [getattr(call, "text", "") for call in bot_api.take_all()]
    assert texts[-1].startswith("🔎 Niets gevonden voor “moestuin”."), texts
    assert entered == ["search", "search"]

    entered.clear()
    await feed(message_update(anna, "/stop"))
    bot_api.take_all()
    entered.clear()
    await feed(message_update(anna, "/onbekend"))
    texts = [getattr(call, "text", "") for call in bot_api.take_all()]
    assert texts == ["Die opdracht ken ik niet. Kies uit het menu of typ /help."]
    # No command handler takes it: it enters the routers for messages without a state that
    # are not typed text (a location) and the fallback.
    assert entered == ["search", "nearby", "fallback"]

    # A reply to one of the bot's messages may answer a facilitation request, a relayed
    # introduction or a peer question: those routers are entered for it.
    entered.clear()
    await feed(reply_update(anna, "Dank je!", to_message_id=77))
    bot_api.take_all()
    replies = ["facilitation", "facilitation_replies", "connections", "introductions"]
    assert entered[: len(replies)] == replies, entered
    assert "peer_answers" in entered

    # A facilitator's plain "ja" may answer an open request: only then is that router entered.
    await add_person(feed.repo, clock, PIET)
    piet = tg_user(PIET)
    entered.clear()
    await feed(message_update(piet, "ja"))
    bot_api.take_all()
    assert entered[:2] == ["facilitation", "facilitation_replies"], entered
    entered.clear()
    await feed(message_update(anna, "ja"))
    bot_api.take_all()
    assert "facilitation" not in entered, entered


async def test_a_sign_up_compiles_no_statement_the_second_time(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, clock: Any
) -> None:
    """Compiling SQL costs more than running it: every statement of a sign-up (the reminders'
    multi-row INSERT too) is compiled once and found in the cache after that."""
    from sqlalchemy import event
    from sqlalchemy.engine.interfaces import CacheStats

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    table = await make_event(feed.repo, clock)
    join = EventCallback(action=EventAction.JOIN, event_id=table.id).pack()
    await feed(callback_update(make_user(language_code="nl"), join))
    bot_api.take_all()
    compiled: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, _p: Any, context: Any, _m: Any) -> None:
        if context.compiled is not None and context.cache_hit is not CacheStats.CACHE_HIT:
            compiled.append(statement.split("(")[0])

    event.listen(engine.sync_engine, "after_cursor_execute", seen)
    try:
        await feed(callback_update(make_user(language_code="nl"), join))
    finally:
        event.remove(engine.sync_engine, "after_cursor_execute", seen)
    assert bot_api.take_all()
    assert compiled == []


async def test_start_by_someone_reachable_writes_nothing_and_everyone_stays_known(
    feed: Feeder, bot_api: MockedBotAPI, engine: Any, dispatcher: Dispatcher
) -> None:
    """/start marks a person reachable and back on announcements: for someone who is both,
    that is nothing to write. And a person who is marked changes only their own copy: the
    process keeps knowing everyone else (an UPDATE statement would make it forget everyone)."""

    anna, bram = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bram):
        await feed(message_update(person, "/menu"))
    bot_api.take_all()
    known = dispatcher["known_users"]
    with counted_transactions(engine) as transactions:
        await feed(message_update(bram, "/start"))
    (welcome,) = bot_api.take_all()
    assert isinstance(welcome, SendMessage) and welcome.text.startswith("Hoi")
    assert transactions == []

    await feed(block_update(bram, blocked=True))
    assert known.get(anna.id) is not None and known.get(bram.id) is None
    assert not (await feed.repo.users.get(bram.id)).is_reachable  # type: ignore[union-attr]
    await feed(message_update(bram, "/start"))
    assert bot_api.take(SendMessage).text.startswith("Hoi")
    assert (await feed.repo.users.get(bram.id)).is_reachable  # type: ignore[union-attr]
    assert known.get(anna.id) is not None


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("hallo daar", 0),
        ("/menu", 1),
        ("/MENU", 0),
        ("/menu@samenspel_test_bot", 1),
        ("/zoek moestuin", 1),
    ],
)
async def test_only_a_command_filter_that_could_match_parses_the_text(
    feed: Feeder,
    bot_api: MockedBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    dispatcher: Dispatcher,
    text: str,
    parsed: int,
) -> None:
    """A message can pass some fifty command filters; only the ones whose name it carries parse
    it (aiogram's parse splits the text and raises when it does not match)."""
    from aiogram.filters import Command

    commands = [f.callback for f in filters_of(dispatcher) if isinstance(f.callback, Command)]
    assert len(commands) > 40 and all(hasattr(c, "could_match") for c in commands)
    parses: list[str] = []
    real = Command.parse_command

    async def counting(self: Command, text: str, bot: Any) -> Any:
        parses.append(text)
        return await real(self, text, bot)

    monkeypatch.setattr(Command, "parse_command", counting)
    await feed(message_update(make_user(language_code="nl"), text))
    assert bot_api.take_all()
    assert len(parses) == parsed


async def test_only_the_button_filters_of_the_taps_kind_read_its_data(
    feed: Feeder,
    bot_api: MockedBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    dispatcher: Dispatcher,
    clock: Any,
) -> None:
    """A tap passes some twenty button filters; only those of its kind (its prefix) read the
    data, and the tap still reaches its handler: the event's card."""
    from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter

    from bot.keyboards.callbacks import EventAction, EventCallback
    from tests.event_helpers import make_event

    buttons = [
        f.callback for f in filters_of(dispatcher) if isinstance(f.callback, CallbackQueryFilter)
    ]
    assert len(buttons) > 40 and all(hasattr(b, "could_match") for b in buttons)
    table = await make_event(feed.repo, clock)
    read: list[str] = []
    real = CallbackData.unpack.__func__  # type: ignore[attr-defined]

    def counting(cls: Any, value: str) -> Any:
        read.append(cls.__name__)
        return real(cls, value)

    monkeypatch.setattr(CallbackData, "unpack", classmethod(counting))
    card = EventCallback(action=EventAction.OPEN, event_id=table.id).pack()
    await feed(callback_update(make_user(language_code="nl"), card))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith("🗣 <b>Samen aan tafel</b>")
    assert read and set(read) == {"EventCallback"}


async def test_a_read_cut_off_halfway_ends_with_what_stopped_it_and_the_session_goes_on(
    repo: Any,
) -> None:
    """A read block whose connection was lost halfway (a query cancelled when the bot stops, a
    dropped connection) raises what stopped it, not an error about the broken transaction, and
    the next read on the same session works."""
    with pytest.raises(asyncio.CancelledError):
        async with repo.read():
            await repo.search.version()
            await (await repo.session.connection()).invalidate()
            raise asyncio.CancelledError
    async with repo.read():
        assert await repo.search.version() == 0


def test_a_button_is_made_of_what_was_given() -> None:
    """aiogram's builder hands every field of a button to pydantic, the dozen not given as
    None, which costs twice the button itself; the keyboard Telegram gets is the same."""
    from bot.keyboards.builder import InlineKeyboardBuilder
    from bot.keyboards.callbacks import EventAction, EventCallback

    builder = InlineKeyboardBuilder()
    builder.button(
        text="Aanmelden", callback_data=EventCallback(action=EventAction.JOIN, event_id=7)
    )
    builder.button(text="Website", url="https://example.org")
    builder.adjust(1)
    markup = builder.as_markup()

    rows = [[button.model_fields_set for button in row] for row in markup.inline_keyboard]
    assert rows == [[{"text", "callback_data"}], [{"text", "url"}]]
    assert markup.model_dump(exclude_none=True) == {
        "inline_keyboard": [
            [{"text": "Aanmelden", "callback_data": "ev:join:7"}],
            [{"text": "Website", "url": "https://example.org"}],
        ]
    }


def test_merged_needs_of_a_router_let_in_every_message_one_of_its_handlers_could_take(
    dispatcher: Dispatcher,
) -> None:
    """A router's needs of a command alone, and of a state alone, are looked at as one: that
    never turns away a message, in any state, that one of its handlers could take."""
    from aiogram import Router

    from bot.filters.prechecks import _merged, _message_needs

    def routers(router: Router) -> Iterator[Router]:
        for sub_router in router.sub_routers:
            yield sub_router
            yield from routers(sub_router)

    anna = make_user(language_code="nl")
    checked = 0
    for router in routers(dispatcher):
        needs = _message_needs(router)
        if needs is None:
            continue
        commands = {name for need in needs for name in need.commands or ()}
        states = {state for need in needs for state in need.states or ()} | {None}
        texts = [f"/{name}" for name in commands] + ["/onbekend", "hallo", "12"]
        for text in texts:
            message = message_update(anna, text).message
            assert message is not None
            for state in states:
                data = {"user": None, "raw_state": state}
                before = any(need.could_take(message, state, data) for need in needs)
                after = any(need.could_take(message, state, data) for need in _merged(needs))
                assert after or not before, (router.name, text, state)
                checked += 1
    assert checked > 500
