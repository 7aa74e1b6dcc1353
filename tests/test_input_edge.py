"""Input is cleaned at the edge, once, for every handler: NUL bytes (which PostgreSQL refuses
to store) are taken out of texts and names, and a command with a number no id can have gets a
friendly word instead of an apology or a question about something that doesn't exist."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.states import BroadcastStates
from storage.models import User
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI

HUGE = "99999999999999999999"
TOO_BIG = {
    "nl": "Dat nummer ken ik niet: het is te groot voor een nummer uit Samenspel. "
    "Kijk of je het goed hebt overgenomen.",
    "en": "I don't know that number: it is too big to be a Samenspel number. "
    "Check that you copied it correctly.",
}


async def test_a_name_with_a_nul_byte_can_use_the_bot_and_is_stored_without_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    person = make_user(first_name="An\x00na", last_name="de\x00 Vries", username="anna_nul")
    await feed(message_update(person, "/start"))
    welcome = bot_api.take(SendMessage)
    assert (welcome.text or "").startswith("Hoi Anna! 👋")
    stored = (await repo.session.execute(select(User).where(User.id == person.id))).scalar_one()
    assert (stored.first_name, stored.last_name) == ("Anna", "de Vries")


async def test_a_text_with_a_nul_byte_is_taken_without_it(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    person = make_user(language_code="en")
    await feed(message_update(person, "/zoek moes\x00tuin"))
    reply = bot_api.take(SendMessage)
    assert "\x00" not in (reply.text or "")
    assert "moestuin" in (reply.text or "")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "text", [f"/start e_{HUGE}", f"/start i_{HUGE}", f"/afgelasten {HUGE}", f"/beheer #{HUGE}"]
)
async def test_a_command_with_a_number_no_id_can_have_gets_a_friendly_word(
    feed: Feeder, bot_api: MockedBotAPI, language: str, text: str
) -> None:
    coordinator = make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)
    await feed(message_update(coordinator, text))
    assert bot_api.take(SendMessage).text == TOO_BIG[language]
    assert not bot_api.calls


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("typed", [HUGE, f"#{HUGE}", str(2**63)])
async def test_a_number_no_id_can_have_typed_as_an_answer_gets_a_friendly_word(
    feed: Feeder, bot_api: MockedBotAPI, dispatcher: Dispatcher, bot: Bot, language: str,
    typed: str,
) -> None:  # fmt: skip
    """The answer to "which event?" in the middle of composing an announcement."""
    coordinator = make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)
    key = StorageKey(bot_id=bot.id, chat_id=coordinator.id, user_id=coordinator.id)
    await dispatcher.storage.set_state(key, BroadcastStates.audience_event)
    await feed(message_update(coordinator, typed))
    assert bot_api.take(SendMessage).text == TOO_BIG[language]
    assert not bot_api.calls
    assert await dispatcher.storage.get_state(key) == BroadcastStates.audience_event.state
