"""Searches that find nothing: the words reach the log only once several different people
searched them in vain, never the query as typed, never who searched."""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import SendMessage

from bot.services.search.misses import MissedWords
from tests.conftest import Feeder
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI


def test_a_word_is_logged_once_three_different_people_searched_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    misses = MissedWords()
    with caplog.at_level(logging.INFO, logger="bot.services.search.misses"):
        assert misses.record("Xylofoonles voor Jan Pietersen", 1) == []
        assert misses.record("xylofoonles", 1) == []  # the same person again does not count
        assert misses.record("xylofoon-les", 2) == []
        assert misses.record("Xylofoonles!", 3) == ["xylofoonles"]
        assert misses.record("xylofoonles", 4) == []  # logged once
    assert [record.getMessage() for record in caplog.records] == [
        "search word without results (3 people): xylofoonles"
    ]


def test_numbers_addresses_and_short_words_are_never_counted() -> None:
    assert MissedWords.countable("bel 0612345678 of mail jan@example.nl, of @jantje ok") == [
        "bel",
        "mail",
    ]


async def test_a_search_in_the_chat_leaves_no_words_in_the_log(
    feed: Feeder, bot_api: MockedBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="bot"):
        for _ in range(2):
            await feed(message_update(make_user(), "/zoek Zwaantje Qwerty Lunetten"))
            bot_api.take(SendMessage)
    text = " ".join(record.getMessage() for record in caplog.records).lower()
    assert "zwaantje" not in text and "qwerty" not in text
