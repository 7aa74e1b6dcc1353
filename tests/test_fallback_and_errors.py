"""Anything unexpected gets the menu, never silence; a failure gets an apology, not a traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, PhotoSize, Sticker, Voice

from bot.keyboards.callbacks import LanguageCallback
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import block_update, callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

MENU_NL = [
    ["🔎 Zoeken", "📅 Agenda"],
    ["🗓 Mijn agenda", "➕ Nieuw initiatief"],
    ["🏠 Mijn initiatieven", "🙋 Vraag andere initiatieven"],
    ["📚 Kennisbank", "❓ Hulp"],
    ["🌐 Taal"],
]


async def test_a_greeting_with_a_question_gets_the_welcome_and_the_menu(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(first_name="Anna"), "hallo, wat kan ik hier?"))

    reply = bot_api.take(SendMessage)
    assert reply.text.startswith("Hoi Anna! 👋 Welkom bij <b>Samenspel</b>.")
    assert button_rows(reply.reply_markup) == MENU_NL


async def test_unknown_command_gets_the_menu_in_english(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(language_code="en"), "/frobnicate now"))

    reply = bot_api.take(SendMessage)
    assert reply.text == "I don't know that command. Choose from the menu or type /help."
    assert button_rows(reply.reply_markup) == [
        ["🔎 Search", "📅 Agenda"],
        ["🗓 My agenda", "➕ New initiative"],
        ["🏠 My initiatives", "🙋 Ask initiatives"],
        ["📚 Knowledge base", "❓ Help"],
        ["🌐 Language"],
    ]


@pytest.mark.parametrize(
    "media",
    [
        {
            "sticker": Sticker(
                file_id="s",
                file_unique_id="s",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
            )
        },
        {"photo": [PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]},
        {"voice": Voice(file_id="v", file_unique_id="v", duration=3)},
    ],
    ids=["sticker", "photo", "voice"],  # a location lists nearby initiatives (test_search_*)
)
async def test_media_gets_the_menu(
    feed: Feeder, bot_api: MockedBotAPI, media: dict[str, Any]
) -> None:
    await feed(message_update(make_user(), **media))

    reply = bot_api.take(SendMessage)
    assert reply.text == "Hier kan ik niets mee. Kies wat je wilt doen:"
    assert button_rows(reply.reply_markup) == MENU_NL


async def test_group_chatter_is_ignored(feed: Feeder, bot_api: MockedBotAPI) -> None:
    user = make_user()
    group = Chat(id=-100123, type="supergroup", title="Buurtapp")
    await feed(message_update(user, "hallo allemaal", chat=group))
    assert not bot_api.calls


async def test_stale_button_is_answered(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(callback_update(make_user(), "nothing:here"))
    assert (
        bot_api.take(AnswerCallbackQuery).text
        == "Deze knop hoort bij een eerdere stap. Er is niets veranderd."
    )


async def test_failure_gets_an_apology_in_the_users_language_and_is_logged(
    feed: Feeder,
    bot_api: MockedBotAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("handlers.language.choose_language", broken)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        await feed(
            callback_update(make_user(language_code="en"), LanguageCallback(code="nl").pack())
        )

    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "Sorry, something went wrong on our side. Please try again in a moment."
    assert answer.show_alert
    assert "failed: RuntimeError" in caplog.text


async def test_failure_on_a_message_apologises_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("handlers.start.main_menu", broken)
    await feed(message_update(make_user(), "/menu"))
    assert (
        bot_api.take(SendMessage).text
        == "Sorry, er ging bij ons iets mis. Probeer het zo nog een keer."
    )


async def test_blocking_and_unblocking_the_bot_is_remembered(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user()
    await feed(message_update(anna, "/start"))
    bot_api.take(SendMessage)

    await feed(block_update(anna, blocked=True))
    stored = await repo.users.get(anna.id)
    assert stored is not None and not stored.is_reachable and stored.unreachable_since is not None

    await feed(block_update(anna, blocked=False))
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.is_reachable and stored.unreachable_since is None
    assert not bot_api.calls


async def test_start_makes_an_unreachable_user_reachable_again(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user()
    await feed(block_update(anna, blocked=True))
    await feed(message_update(anna, "/start"))
    bot_api.take(SendMessage)
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.is_reachable


async def test_bots_are_not_recorded_as_users(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    other_bot = make_user(is_bot=True, first_name="Spam")
    await feed(message_update(other_bot, "hello"))
    assert await repo.users.get(other_bot.id) is None
    bot_api.take_all()
