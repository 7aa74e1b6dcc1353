"""Flood control: a friendly "slow down" once, then silence, then back to normal."""

from __future__ import annotations

from aiogram.methods import SendMessage

from bot.app import build_dispatcher
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.engine import SessionPool
from tests.conftest import COORDINATOR_ID
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI


async def test_flooding_user_is_warned_once_then_ignored_for_a_while(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    bot: object,
) -> None:
    moment = [0.0]
    throttling = ThrottlingMiddleware(limit=3, window=4.0, silence=5.0, monotonic=lambda: moment[0])
    dispatcher = build_dispatcher(
        settings,
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        throttling=throttling,
    )
    anna, bob = make_user(), make_user(language_code="en")

    for _ in range(6):
        await dispatcher.feed_update(bot, message_update(anna, "/menu"))  # type: ignore[arg-type]
    texts = [bot_api.take(SendMessage).text for _ in range(4)]
    assert texts == ["Wat wil je doen?"] * 3 + [
        "Dat ging heel snel, dus ik sla je berichten een paar seconden over. "
        "Stuur zo opnieuw wat je nog nodig hebt."
    ]
    assert not bot_api.calls  # the fifth and sixth are dropped in silence

    await dispatcher.feed_update(bot, message_update(bob, "/menu"))  # type: ignore[arg-type]
    assert bot_api.take(SendMessage).text == "What do you want to do?"  # others are not affected

    moment[0] = 6.0
    await dispatcher.feed_update(bot, message_update(anna, "/menu"))  # type: ignore[arg-type]
    assert bot_api.take(SendMessage).text == "Wat wil je doen?"


async def test_a_coordinators_commands_are_never_dropped(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot_api: MockedBotAPI,
    bot: object,
) -> None:
    throttling = ThrottlingMiddleware(limit=3, window=4.0, silence=5.0, monotonic=lambda: 0.0)
    dispatcher = build_dispatcher(
        settings,
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        throttling=throttling,
    )
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    for _ in range(13):  # thirteen /rol commands half a second apart, in one breath here
        await dispatcher.feed_update(bot, message_update(kees, "/rol"))  # type: ignore[arg-type]
    texts = [bot_api.take(SendMessage).text for _ in range(13)]
    assert all(text.startswith("Typ wie en welke rol") for text in texts)
    assert not bot_api.calls
