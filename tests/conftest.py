"""Shared fixtures: a fresh real database per test (SQLite always, PostgreSQL when
TEST_POSTGRES_URL is set), a strict mocked Bot API, and the real Dispatcher."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Update
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_bot, build_dispatcher
from bot.clock import FakeClock
from bot.config import Settings
from bot.event_loop import loop_factory
from bot.i18n import CatalogI18n, create_i18n
from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.base import Base
from storage.engine import SessionPool, create_engine, create_session_pool
from storage.repositories import Repo
from tests.fake_pdok import FakePDOK
from tests.mocked_bot import UPDATE_REPO, MockedBotAPI

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
COORDINATOR_ID = 777_000_001


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> Any:
    """Every test runs on the event loop the bot runs on (`bot.event_loop`)."""
    factory = loop_factory()
    return None if factory is None else {"uvloop": factory}


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    """One throw-away PostgreSQL database for this test run, dropped at the end."""
    if not POSTGRES_URL:
        yield None
        return
    import asyncio

    name = f"samenspel_test_{uuid.uuid4().hex[:10]}"
    admin_url = make_url(POSTGRES_URL)

    async def admin(statement: str) -> None:
        engine = create_engine(admin_url.render_as_string(hide_password=False))
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def postgres_tables(postgres_database: str | None) -> AsyncIterator[str]:
    """The run's PostgreSQL database with every table made anew, for tests that open engines
    of their own (as several processes would); its URL."""
    assert postgres_database is not None
    engine = create_engine(postgres_database)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()
    yield postgres_database


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Any, postgres_database: str | None
) -> str:
    if request.param == "postgres":
        assert postgres_database is not None
        return postgres_database
    return f"sqlite+aiosqlite:///{tmp_path / 'samenspel.db'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_pool(engine: AsyncEngine) -> SessionPool:
    return create_session_pool(engine)


@pytest.fixture
async def repo(session_pool: SessionPool) -> AsyncIterator[Repo]:
    async with session_pool() as session:
        yield Repo(session)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def pdok() -> AsyncIterator[FakePDOK]:
    """The address lookup every test's bot uses: a local look-alike of PDOK."""
    async with FakePDOK() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, pdok: FakePDOK) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        coordinator_ids=(COORDINATOR_ID,),
        default_locale="nl",
        geocoder_url=pdok.url,
    )


@pytest.fixture(scope="session")
def i18n() -> CatalogI18n:
    return create_i18n("nl")


@pytest.fixture
def bot_api() -> Iterator[MockedBotAPI]:
    api = MockedBotAPI()
    yield api
    leftover = list(api.calls)
    assert not leftover, f"the bot made calls no test looked at: {leftover!r}"
    holding = [type(call).__name__ for call in api.made_holding_a_connection]
    assert not holding, f"the bot asked Telegram while holding a database connection: {holding}"


@pytest.fixture(autouse=True)
def watching_update_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every update's repositories (and so its database session, once open) are known to the
    mocked Bot API while the update is handled (`tests.mocked_bot.UPDATE_REPO`), in every
    Dispatcher a test builds."""
    handle = DatabaseMiddleware.__call__

    async def watched(
        self: DatabaseMiddleware, handler: Any, event: Any, data: dict[str, Any]
    ) -> Any:
        async def with_session(event: Any, data: dict[str, Any]) -> Any:
            token = UPDATE_REPO.set(data["repo"])
            try:
                return await handler(event, data)
            finally:
                UPDATE_REPO.reset(token)

        return await handle(self, with_session, event, data)

    monkeypatch.setattr(DatabaseMiddleware, "__call__", watched)


@pytest.fixture
def bot(settings: Settings, bot_api: MockedBotAPI) -> Bot:
    return build_bot(settings, bot_api)


@pytest.fixture
def dispatcher(
    settings: Settings, session_pool: SessionPool, clock: FakeClock, i18n: CatalogI18n
) -> Dispatcher:
    return build_dispatcher(
        settings,
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        storage=MemoryStorage(),
        throttling=ThrottlingMiddleware(limit=1000),
    )


class Feeder:
    """Feeds updates to the real Dispatcher, as Telegram would. Afterwards the test's own `repo`
    starts a fresh transaction, so it sees what the bot wrote."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, repo: Repo) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.repo = repo

    async def __call__(self, update: Update, **kwargs: Any) -> Any:
        await self.repo.session.commit()
        result = await self.dispatcher.feed_update(self.bot, update, **kwargs)
        self.repo.session.expire_all()
        await self.repo.session.commit()
        return result


@pytest.fixture
def feed(dispatcher: Dispatcher, bot: Bot, repo: Repo) -> Feeder:
    return Feeder(dispatcher, bot, repo)
