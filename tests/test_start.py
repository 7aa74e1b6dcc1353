"""/start, /help and /menu through the real Dispatcher, in Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import SendMessage
from aiogram.types import Message

from bot.clock import FakeClock
from bot.deeplinks import deep_link
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

DUTCH_WELCOME = (
    "Hoi Anna! 👋 Welkom bij <b>Samenspel</b>.\n\n"
    "Hier vind je initiatieven van bewoners in de provincie Utrecht. Je kunt je aanmelden voor "
    "dialoogtafels en trainingen, en met elkaar in contact komen.\n\n"
    "Kies hieronder wat je wilt doen, of typ gewoon wat je zoekt. Je kunt ook /help typen."
)
ENGLISH_WELCOME = (
    "Hi Emma! 👋 Welcome to <b>Samenspel</b>.\n\n"
    "Here you can find residents' initiatives in the province of Utrecht, sign up for "
    "dialogue tables and trainings, and get in touch with each other.\n\n"
    "Choose below what you want to do, or just type what you are looking for. "
    "You can also type /help."
)


async def test_start_greets_in_dutch_with_the_menu(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/start"))

    reply = bot_api.take(SendMessage)
    assert reply.chat_id == anna.id
    assert reply.text == DUTCH_WELCOME
    assert button_rows(reply.reply_markup) == [
        ["🔎 Zoeken", "📅 Agenda"],
        ["🗓 Mijn agenda", "➕ Nieuw initiatief"],
        ["🏠 Mijn initiatieven", "🙋 Vraag andere initiatieven"],
        ["📚 Kennisbank", "❓ Hulp"],
        ["🌐 Taal"],
    ]
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.first_name == "Anna" and stored.role == "resident"


async def test_start_greets_in_english_when_telegram_speaks_english(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(first_name="Emma", language_code="en-GB")
    await feed(message_update(emma, "/start"))

    reply = bot_api.take(SendMessage)
    assert reply.text == ENGLISH_WELCOME
    assert button_rows(reply.reply_markup) == [
        ["🔎 Search", "📅 Agenda"],
        ["🗓 My agenda", "➕ New initiative"],
        ["🏠 My initiatives", "🙋 Ask initiatives"],
        ["📚 Knowledge base", "❓ Help"],
        ["🌐 Language"],
    ]


async def test_start_uses_dutch_for_languages_we_do_not_speak(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(first_name="Anna", language_code="tr"), "/start"))
    assert bot_api.take(SendMessage).text == DUTCH_WELCOME


async def test_start_escapes_the_name_as_html(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(
        message_update(make_user(first_name="<b>Bob</b> & co", language_code="en"), "/start")
    )
    assert bot_api.take(SendMessage).text.startswith("Hi &lt;b&gt;Bob&lt;/b&gt; &amp; co! 👋")


async def test_registered_deep_link_opens_its_target(
    feed: Feeder, bot_api: MockedBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.deeplinks._OPENERS", {})
    opened: list[str] = []

    @deep_link("testlink_")
    async def open_test_link(message: Message, argument: str, data: dict[str, Any]) -> bool:
        opened.append(argument)
        await message.answer(f"opened {argument}")
        return True

    await feed(message_update(make_user(), "/start testlink_42"))

    assert opened == ["42"]
    assert bot_api.take(SendMessage).text == "opened 42"


async def test_unknown_deep_link_says_so_and_greets(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(first_name="Anna"), "/start zz_nothing"))

    assert bot_api.take(SendMessage).text == "Deze link werkt niet (meer).\n\n" + DUTCH_WELCOME


async def test_help_explains_the_commands_in_english(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="en"), "/help"))

    reply = bot_api.take(SendMessage)
    assert reply.text.startswith(
        "<b>What can I do?</b>\n\n<b>Finding</b>\n/search – Search initiatives\n"
    )
    assert "your Telegram account is your login" in reply.text


async def test_menu_shows_the_menu_in_dutch(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(), "/menu"))

    reply = bot_api.take(SendMessage)
    assert reply.text == "Wat wil je doen?"
    assert button_rows(reply.reply_markup) == [
        ["🔎 Zoeken", "📅 Agenda"],
        ["🗓 Mijn agenda", "➕ Nieuw initiatief"],
        ["🏠 Mijn initiatieven", "🙋 Vraag andere initiatieven"],
        ["📚 Kennisbank", "❓ Hulp"],
        ["🌐 Taal"],
    ]


async def test_coordinator_ids_from_settings_become_coordinators(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    from tests.conftest import COORDINATOR_ID

    await feed(message_update(make_user(id=COORDINATOR_ID), "/start"))
    bot_api.take(SendMessage)
    stored = await repo.users.get(COORDINATOR_ID)
    assert stored is not None and stored.role == "coordinator"


async def test_a_new_person_seen_by_two_processes_at_once_is_stored_once(
    session_pool: SessionPool, clock: FakeClock
) -> None:
    """Two updates of someone new, handled at the same moment with a session each (as two
    processes would): one row, created once, and both see it with the name Telegram gave."""
    import asyncio

    from sqlalchemy import func, select

    from bot.services.users import TelegramPerson, see_user
    from storage.models import User

    person = TelegramPerson(4242, "Noor", None, "noor", "nl")

    async def first_sight() -> User:
        async with session_pool() as session:
            return await see_user(Repo(session), person, now=clock.now(), coordinator_ids=())

    one, other = await asyncio.gather(first_sight(), first_sight())

    assert (one.id, one.first_name, one.role) == (4242, "Noor", "resident")
    assert (other.id, other.first_name, other.username) == (4242, "Noor", "noor")
    async with session_pool() as session:
        rows = await session.scalar(select(func.count()).select_from(User).where(User.id == 4242))
    assert rows == 1
