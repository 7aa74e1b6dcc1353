"""The logs carry no personal data: no names, usernames, message texts or Telegram ids, also
at DEBUG level and when something fails. Ids appear only as pseudonyms."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.types import Chat, Message

from bot.keyboards.callbacks import LanguageCallback, MenuAction, MenuCallback
from bot.logging_privacy import pseudonym
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI

LOGGERS = ("bot", "handlers", "scheduler", "storage", "aiogram", "samenspel")
SECRET_TEXTS = (
    "Moestuin Zonnebloemxq",
    "Wij kweken groente met de buurt, zegt Zwaantje uit Lunetten",
    "zonnebloemxq kweken",
)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _leaks(caplog: pytest.LogCaptureFixture, person: Any) -> list[str]:
    words = [person.first_name, person.last_name, person.username, *SECRET_TEXTS]
    forbidden = [re.compile(re.escape(word), re.I) for word in words]
    forbidden.append(re.compile(rf"(?<!\d){person.id}(?!\d)"))
    leaks = []
    for record in caplog.records:
        if not record.name.startswith(LOGGERS):
            continue
        line = record.getMessage()
        if record.exc_info:
            line += logging.Formatter().formatException(record.exc_info)
        leaks += [f"{record.name}: {line[:160]}" for pattern in forbidden if pattern.search(line)]
    return leaks


async def test_conversations_leave_no_names_texts_or_ids_in_the_logs(
    feed: Feeder,
    bot_api: MockedBotAPI,
    debug_logs: pytest.LogCaptureFixture,
    dispatcher: Dispatcher,
) -> None:
    person = make_user(
        first_name="Zwaantje", last_name="Qwerty", username="zwaan_qx7", language_code="nl"
    )
    steps: list[Any] = [
        message_update(person, "/start"),
        callback_update(person, MenuCallback(action=MenuAction.LANGUAGE).pack()),
        callback_update(person, LanguageCallback(code="en").pack()),
        callback_update(person, LanguageCallback(code="nl").pack()),
        message_update(person, "/nieuw"),
        message_update(person, SECRET_TEXTS[0]),
        message_update(person, SECRET_TEXTS[1]),
        message_update(person, "/stop"),
        message_update(person, f"/zoek {SECRET_TEXTS[2]}"),
        message_update(person, SECRET_TEXTS[2]),
        message_update(person, "/agenda"),
        message_update(person, "/mijngegevens"),
        message_update(person, "/privacy"),
        message_update(person, "/verwijder"),
    ]
    for update in steps:
        await feed(update)
    bot_api.take_all()

    assert debug_logs.records, "the conversation logged nothing at all"
    assert _leaks(debug_logs, person) == []


async def test_a_failing_update_is_logged_with_a_pseudonym_not_the_id(
    feed: Feeder, bot_api: MockedBotAPI, debug_logs: pytest.LogCaptureFixture
) -> None:
    person = make_user(first_name="Zwaantje", last_name="Qwerty", username="zwaan_qx7")

    async def broken(message: Message) -> None:
        raise RuntimeError("the handler broke")

    router = Router(name="broken")
    router.message.register(broken, F.chat.type == "group")
    feed.dispatcher.include_router(router)
    group = Chat(id=-100777, type="group", title="Buurt")
    await feed(message_update(person, SECRET_TEXTS[1], chat=group))

    errors = [r.getMessage() for r in debug_logs.records if r.name == "handlers.errors"]
    assert errors == [
        f"update {feed_last_id(debug_logs)} (message) of {pseudonym(person.id)} "
        "failed: RuntimeError"
    ]
    assert _leaks(debug_logs, person) == []


def feed_last_id(caplog: pytest.LogCaptureFixture) -> str:
    line = next(r.getMessage() for r in caplog.records if r.name == "handlers.errors")
    return line.split()[1]


def test_a_pseudonym_is_stable_within_a_process_and_reveals_nothing() -> None:
    assert pseudonym(123456789) == pseudonym(123456789)
    assert pseudonym(123456789) != pseudonym(123456780)
    assert "123456789" not in pseudonym(123456789)
    assert pseudonym(None) == "-"
