"""Faults: Telegram hiccups on replies, an unreachable database, updates delivered twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods import SendMessage

from bot.app import SharedState, build_bot, build_dispatcher, build_shared_state
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.middlewares.replies import ReplyRetryMiddleware
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.engine import SessionPool, create_engine, create_session_pool
from storage.repositories import Repo
from tests.conftest import REDIS_URL, Feeder
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI

MENU_TEXT = "Wat wil je doen?"


def _error(kind: type[Exception], **extra: Any) -> Exception:
    return kind(method=SendMessage(chat_id=1, text="x"), message="oops", **extra)


def _dispatcher(
    settings: Settings,
    pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    shared: SharedState | None = None,
) -> Any:
    return build_dispatcher(
        settings,
        session_pool=pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        throttling=ThrottlingMiddleware(limit=1000),
        shared=shared,
    )


@pytest.fixture
def patient_bot(settings: Settings, bot_api: MockedBotAPI) -> Bot:
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    bot = build_bot(settings, bot_api, ReplyRetryMiddleware(sleep=no_sleep))
    bot.waits = waits  # type: ignore[attr-defined]
    return bot


async def test_a_reply_waits_out_a_short_429_and_goes_through(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    patient_bot: Bot,
) -> None:
    bot_api.will_return(_error(TelegramRetryAfter, retry_after=2))
    dispatcher = _dispatcher(settings, session_pool, clock, i18n)
    await dispatcher.feed_update(patient_bot, message_update(make_user(), "/menu"))

    assert bot_api.take(SendMessage).text == MENU_TEXT  # refused with 429
    assert bot_api.take(SendMessage).text == MENU_TEXT  # and sent again
    assert patient_bot.waits == [2.0]  # type: ignore[attr-defined]


async def test_a_reply_is_tried_again_after_server_errors(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    patient_bot: Bot,
) -> None:
    bot_api.will_return(_error(TelegramServerError))
    bot_api.will_return(_error(TelegramServerError))
    dispatcher = _dispatcher(settings, session_pool, clock, i18n)
    await dispatcher.feed_update(patient_bot, message_update(make_user(), "/menu"))

    assert [bot_api.take(SendMessage).text for _ in range(3)] == [MENU_TEXT] * 3
    assert patient_bot.waits == [0.5, 1.0]  # type: ignore[attr-defined]


async def test_when_telegram_keeps_failing_the_handler_does_not_crash(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    patient_bot: Bot,
) -> None:
    for _ in range(4):
        bot_api.will_return(_error(TelegramServerError))
    dispatcher = _dispatcher(settings, session_pool, clock, i18n)
    await dispatcher.feed_update(patient_bot, message_update(make_user(), "/menu"))
    calls = bot_api.take_all()
    assert len(calls) == 4  # three tries of the reply, then one try of the apology
    assert calls[-1].text == "Sorry, er ging bij ons iets mis. Probeer het zo nog een keer."  # type: ignore[attr-defined]


async def test_database_unavailable_gets_an_apology_in_the_users_language(
    settings: Settings,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    bot: Bot,
    tmp_path: Path,
) -> None:
    broken = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nowhere.db'}")
    dispatcher = _dispatcher(settings, create_session_pool(broken), clock, i18n)
    await dispatcher.feed_update(bot, message_update(make_user(language_code="en"), "/start"))
    await broken.dispose()

    reply = bot_api.take(SendMessage)
    assert reply.text == "Sorry, something went wrong on our side. Please try again in a moment."


async def test_an_update_delivered_twice_is_handled_once(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    update = message_update(make_user(), "/menu")
    await feed(update)
    await feed(update)
    assert bot_api.take(SendMessage).text == MENU_TEXT
    assert not bot_api.calls


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
async def test_two_processes_sharing_redis_handle_a_redelivered_update_once(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    bot: Bot,
) -> None:
    shared_settings = settings.model_copy(update={"redis_url": REDIS_URL})
    first = _dispatcher(
        shared_settings, session_pool, clock, i18n, build_shared_state(shared_settings)
    )
    second = _dispatcher(
        shared_settings, session_pool, clock, i18n, build_shared_state(shared_settings)
    )
    update = message_update(make_user(), "/menu")
    await first.feed_update(bot, update)
    await second.feed_update(bot, update)
    assert bot_api.take(SendMessage).text == MENU_TEXT
    assert not bot_api.calls
    await first.storage.close()
    await second.storage.close()
