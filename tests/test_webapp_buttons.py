"""The map is one tap away in the chat when it has a public address (WEBAPP_URL): "🗺 Kaart" in
the main menu and the chat's menu button, "🗺 Op de kaart" on every card, centred on that
initiative or event; without an address the cards keep their OpenStreetMap link."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, SendMessage, SetChatMenuButton
from aiogram.types import InlineKeyboardMarkup

from bot.app import build_dispatcher, build_scheduler
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import EventAction, EventCallback, MenuAction, MenuCallback
from bot.keyboards.map import set_map_menu_button
from bot.middlewares.throttling import ThrottlingMiddleware
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import make_event
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative
from tests.mocked_bot import MockedBotAPI

MAP = "https://kaart.samenspel.example"


@pytest.fixture
def map_feed(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot: Bot,
    repo: Repo,
) -> Feeder:
    dispatcher: Dispatcher = build_dispatcher(
        settings.model_copy(update={"webapp_url": MAP}),
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        storage=MemoryStorage(),
        throttling=ThrottlingMiddleware(limit=1000),
    )
    return Feeder(dispatcher, bot, repo)


def _web_apps(markup: Any) -> dict[str, str]:
    assert isinstance(markup, InlineKeyboardMarkup)
    return {
        button.text: button.web_app.url
        for row in markup.inline_keyboard
        for button in row
        if button.web_app is not None
    }


async def test_the_menu_opens_the_map_in_the_persons_language(
    map_feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await map_feed(
        callback_update(make_user(language_code="nl"), MenuCallback(action=MenuAction.MENU).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert _web_apps(bot_api.take(SendMessage).reply_markup) == {
        "🗺 Kaart": f"{MAP}/webapp/?lang=nl"
    }
    await map_feed(message_update(make_user(language_code="en"), "/menu"))
    assert _web_apps(bot_api.take(SendMessage).reply_markup) == {"🗺 Map": f"{MAP}/webapp/?lang=en"}


async def test_cards_open_the_map_at_their_place(
    map_feed: Feeder, feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await map_feed(
        callback_update(anna, EventCallback(action=EventAction.OPEN, event_id=event_id).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert _web_apps(bot_api.take(SendMessage).reply_markup) == {
        "🗺 Op de kaart": f"{MAP}/webapp/?lang=nl&focus=e_{event_id}"
    }
    initiative_id = (await add_initiative(repo, clock.now())).id
    await map_feed(message_update(anna, f"/start i_{initiative_id}"))
    card = bot_api.take(SendMessage)
    assert _web_apps(card.reply_markup) == {
        "🗺 Op de kaart": f"{MAP}/webapp/?lang=nl&focus=i_{initiative_id}"
    }
    # Without a public address of the map, the card keeps its OpenStreetMap link.
    await feed(message_update(anna, f"/start i_{initiative_id}"))
    plain = bot_api.take(SendMessage).reply_markup
    assert isinstance(plain, InlineKeyboardMarkup)
    urls = [b.url for row in plain.inline_keyboard for b in row if b.url]
    assert urls and urls[0].startswith("https://www.openstreetmap.org/?mlat=52.09250")
    assert _web_apps(plain) == {}


async def test_the_chats_menu_button_opens_the_map(
    bot: Bot, bot_api: MockedBotAPI, i18n: CatalogI18n
) -> None:
    await set_map_menu_button(bot, i18n, MAP)
    call = bot_api.take(SetChatMenuButton)
    assert call.menu_button is not None
    assert call.menu_button.text == "🗺 Kaart"  # type: ignore[union-attr]
    assert call.menu_button.web_app.url == f"{MAP}/webapp/?lang=nl"  # type: ignore[union-attr]
