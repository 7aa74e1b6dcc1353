"""A process keeps a fixed number of connections to PostgreSQL (`DATABASE_POOL_SIZE`): a crowd of
updates waits for one in the process instead of opening more. That is safe because nothing asks
Telegram while it holds one, which the suite's Bot API checks on every call."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Message
from sqlalchemy import event, func, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Application, close_application, create_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.middlewares.database import DatabaseMiddleware
from bot.runner import READY_WITHIN_SECONDS, metrics_text, readiness_problems
from storage.engine import (
    POOL_SIZE,
    ConnectionCounts,
    SessionPool,
    connection_counts,
    create_engine,
    open_connections,
)
from storage.models import Registration
from storage.repositories import Repo
from tests.event_helpers import make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI


@asynccontextmanager
async def _bot_keeping(connections: int, database_url: str) -> AsyncIterator[Application]:
    """The bot as it starts, with `DATABASE_POOL_SIZE` set to `connections`; closed after."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token="123456:" + "A" * 35,
        database_url=database_url,
        database_pool_size=connections,
    )
    app = create_application(settings)
    try:
        yield app
    finally:
        await close_application(app)


async def _as_admin(database_url: str, statement: str) -> None:
    """One statement of its own (a role is the server's, not the database's)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def test_a_crowd_of_new_people_opens_no_more_connections_than_the_pool_keeps(
    engine: AsyncEngine,
    dispatcher: Dispatcher,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
) -> None:
    """60 people the bot never saw tap "sign up" for a table of 5 at the same moment: each is
    stored and signed up, and the process never has more than its 10 connections open."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite opens a file, not connections to a server")
    event_id = (await make_event(repo, clock, capacity=5)).id
    await repo.session.commit()
    pool = engine.sync_engine.pool
    opened: list[int] = []
    most_in_use = 0

    def connected(*_args: Any) -> None:
        opened.append(1)

    def taken(*_args: Any) -> None:
        nonlocal most_in_use
        most_in_use = max(most_in_use, pool.checkedout())  # type: ignore[attr-defined]

    event.listen(pool, "connect", connected)
    event.listen(pool, "checkout", taken)
    data = EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
    try:
        await asyncio.wait_for(
            asyncio.gather(
                *(
                    dispatcher.feed_update(
                        bot, callback_update(make_user(language_code="nl"), data)
                    )
                    for _ in range(60)
                )
            ),
            60,
        )
    finally:
        event.remove(pool, "connect", connected)
        event.remove(pool, "checkout", taken)

    answers = [call.text for call in bot_api.take_all() if isinstance(call, AnswerCallbackQuery)]
    assert answers.count("Je bent aangemeld! Tot dan.") == 5
    assert len([text for text in answers if text and text.startswith("Vol = vol")]) == 55
    assert POOL_SIZE == 10
    assert len(opened) <= POOL_SIZE and most_in_use <= POOL_SIZE
    stored = await repo.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event_id)
    )
    assert stored == 60


async def test_the_bot_keeps_as_many_connections_as_configured(
    postgres_database: str | None,
) -> None:
    if postgres_database is None:
        pytest.skip("needs PostgreSQL (TEST_POSTGRES_URL)")
    async with _bot_keeping(4, postgres_database) as app:
        pool = app.engine.sync_engine.pool
        assert (pool.size(), pool.overflow()) == (4, -4)  # type: ignore[attr-defined]


async def test_the_bot_opens_every_connection_it_keeps_as_it_starts(
    engine: AsyncEngine, database_url: str, bot_api: MockedBotAPI, clock: FakeClock
) -> None:
    """Started, before it answers anyone, the process holds all its connections open: the
    first people after a start (a deploy) find them so, and nobody's update opens one."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the fixed pool is PostgreSQL's")
    async with _bot_keeping(4, database_url) as app:
        app.bot.session = bot_api
        pool = app.engine.sync_engine.pool
        opened: list[int] = []
        event.listen(pool, "connect", lambda *_args: opened.append(1))
        already = connection_counts(app.engine)
        assert already is not None
        dispatcher = app.dispatcher
        await dispatcher.emit_startup(bot=app.bot, **dispatcher.workflow_data)
        try:
            async with app.session_pool() as session:  # the index, loaded as it starts
                await dispatcher["search_index"].fresh(Repo(session))
            # All open (the scheduler's jobs, started with it, may be using one right now).
            counts = connection_counts(app.engine)
            assert counts is not None and counts.in_use + counts.idle == counts.kept == 4
            assert len(opened) == 4 - already.idle
            people = [make_user(language_code="nl") for _ in range(4)]
            await asyncio.gather(
                *(dispatcher.feed_update(app.bot, message_update(p, "/menu")) for p in people)
            )
            assert len(opened) == 4 - already.idle
        finally:
            await dispatcher.emit_shutdown(bot=app.bot, **dispatcher.workflow_data)
            calls = bot_api.take_all()  # the commands set as it started, and the menus
        menus = [call for call in calls if isinstance(call, SendMessage)]
        assert sorted(call.chat_id for call in menus) == sorted(p.id for p in people)


@asynccontextmanager
async def _pool_of_four_for_a_role_limited_to_two(
    database_url: str,
) -> AsyncIterator[tuple[AsyncEngine, str]]:
    """An engine keeping four connections, for a new role the server lets open two; the role
    goes again afterwards."""
    role = f"samenspel_limited_{uuid.uuid4().hex[:8]}"
    await _as_admin(database_url, f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 2")
    limited = create_engine(make_url(database_url).set(username=role), pool_size=4)
    try:
        yield limited, role
    finally:
        await limited.dispose()
        await _as_admin(database_url, f"DROP ROLE {role}")


_TWO_OF_FOUR_NOT_OPENED = (
    "2 of the 4 database connections could not be opened at start "
    "(TooManyConnectionsError); they open when they are needed"
)


def _start_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "storage.engine"]


async def test_a_start_opens_what_the_server_allows_and_leaves_the_rest_for_later(
    postgres_database: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """A server that takes fewer connections than the pool keeps (its `max_connections`, or a
    limit on the role) does not stop the bot from starting: it opens what it may, says so in
    the log, and the rest open when they are needed."""
    if postgres_database is None:
        pytest.skip("needs PostgreSQL (TEST_POSTGRES_URL)")
    async with _pool_of_four_for_a_role_limited_to_two(postgres_database) as (limited, _role):
        with caplog.at_level(logging.WARNING, logger="storage.engine"):
            assert await open_connections(limited) == 2
        assert connection_counts(limited) == ConnectionCounts(in_use=0, idle=2, kept=4)
        assert _start_warnings(caplog) == [_TWO_OF_FOUR_NOT_OPENED]


async def test_connections_refused_while_others_were_being_opened_are_tried_again(
    postgres_database: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """A role's connection limit counts every connection being started, also those it then
    refuses: four started at the same moment under a limit of two can leave only one open. The
    server here refuses three of the four started together, as it may under that limit; those
    are tried again one at a time, and the start ends with the two the role may have."""
    if postgres_database is None:
        pytest.skip("needs PostgreSQL (TEST_POSTGRES_URL)")
    async with _pool_of_four_for_a_role_limited_to_two(postgres_database) as (limited, role):
        attempts: list[int] = []

        @event.listens_for(limited.sync_engine, "do_connect")
        def _refused_together(*_args: Any) -> None:
            attempts.append(len(attempts) + 1)
            if len(attempts) in (2, 3, 4):
                raise asyncpg.exceptions.TooManyConnectionsError(
                    f'too many connections for role "{role}"'
                )

        with caplog.at_level(logging.WARNING, logger="storage.engine"):
            assert await open_connections(limited) == 2
        assert connection_counts(limited) == ConnectionCounts(in_use=0, idle=2, kept=4)
        assert len(attempts) == 6  # four at once, then one at a time until one is refused
        assert _start_warnings(caplog) == [_TWO_OF_FOUR_NOT_OPENED]


async def test_a_process_whose_connections_are_all_held_is_not_ready(
    postgres_database: str | None,
) -> None:
    """`/readyz` waits at most two seconds for a connection, as for the database's answer."""
    if postgres_database is None:
        pytest.skip("needs PostgreSQL (TEST_POSTGRES_URL)")
    async with _bot_keeping(1, postgres_database) as app:
        assert "database" not in await readiness_problems(app)
        async with app.engine.connect() as held:
            await held.execute(select(1))
            started = time.monotonic()
            problems = await readiness_problems(app)
            waited = time.monotonic() - started
        assert "database" in problems
        assert READY_WITHIN_SECONDS <= waited < READY_WITHIN_SECONDS + 2
        assert "database" not in await readiness_problems(app)


async def test_metrics_show_the_connections_in_use_and_kept(
    engine: AsyncEngine, database_url: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the fixed pool is PostgreSQL's")
    async with _bot_keeping(4, database_url) as app:
        async with app.engine.connect() as first, app.engine.connect() as second:
            await first.execute(select(1))
            await second.execute(select(1))
            lines = (await metrics_text(app)).splitlines()
        assert 'samenspel_db_connections{state="in_use"} 2' in lines
        assert 'samenspel_db_connections{state="idle"} 0' in lines
        assert "samenspel_db_connections_kept 4" in lines
        lines = (await metrics_text(app)).splitlines()
        assert 'samenspel_db_connections{state="in_use"} 0' in lines
        assert 'samenspel_db_connections{state="idle"} 3' in lines  # two, and the metrics' own


async def test_asking_telegram_while_holding_a_connection_is_caught(
    session_pool: SessionPool, bot: Bot, bot_api: MockedBotAPI
) -> None:
    """The check every test of the suite runs under: an answer sent inside a use-case's
    transaction is listed (and fails the test), one sent after it is not."""
    dispatcher = Dispatcher(session_pool=session_pool)
    dispatcher.update.outer_middleware(DatabaseMiddleware())
    router = Router()

    @router.message()
    async def answer(message: Message, repo: Repo) -> None:
        async with repo.write():
            await repo.users.count()
            if message.text == "inside":
                await message.answer("while the transaction is open")
        await message.answer("after it")

    dispatcher.include_router(router)
    person = make_user(language_code="nl")
    await dispatcher.feed_update(bot, message_update(person, "inside"))
    await dispatcher.feed_update(bot, message_update(person, "outside"))

    texts = [call.text for call in bot_api.take_all() if isinstance(call, SendMessage)]
    assert texts == ["while the transaction is open", "after it", "after it"]
    held = [(type(call).__name__, call.text) for call in bot_api.made_holding_a_connection]
    assert held == [("SendMessage", "while the transaction is open")]
    bot_api.made_holding_a_connection.clear()
