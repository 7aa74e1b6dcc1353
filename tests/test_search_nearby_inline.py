"""Nearby initiatives from a shared location (distance in km), and inline mode (`@bot moestuin`
in any chat) with shareable cards, through the real Dispatcher in Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    AnswerInlineQuery,
    EditMessageText,
    GetMe,
    SendMessage,
)
from aiogram.types import InlineQuery, InlineQueryResultArticle, Location

from bot.clock import FakeClock
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update, next_id, update_with
from tests.initiatives_support import add_initiative
from tests.mocked_bot import MockedBotAPI, button_rows
from tests.search_support import add_gardens

LOMBOK = Location(latitude=52.0925, longitude=5.1000)


async def test_a_shared_location_lists_the_nearest_with_kilometres_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    await feed(message_update(make_user(language_code="nl"), location=LOMBOK))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "📍 <b>Bij jou in de buurt</b> (3)\n\n"
        "1. <b>Buurtmoestuin De Bongerd</b> — 90 m · Utrecht · Lombok\n"
        "    <i>Samen groenten kweken en oogsten in de wijk. Iedereen kan meedoen.</i>\n"
        "2. <b>Taalcafé Overvecht</b> — 2,9 km · Utrecht · Overvecht\n"
        "    <i>Elke week Nederlands oefenen met koffie en een praatje.</i>\n"
        "3. <b>Groentetuin Zeist-West</b> — 8,4 km · Zeist\n"
        "    <i>Een volkstuin waar ouderen en kinderen samen tuinieren.</i>\n\n"
        "Tik op een initiatief voor meer."
    )
    assert button_rows(reply.reply_markup) == [
        ["1. Buurtmoestuin De Bongerd"],
        ["2. Taalcafé Overvecht"],
        ["3. Groentetuin Zeist-West"],
    ]


async def test_nearby_in_english_uses_a_decimal_point_and_pages(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    for number in range(7):
        await add_initiative(
            repo, clock.now(), name=f"Buurtplek {number}", lat=52.10 + number * 0.01, lon=5.10
        )
    emma = make_user(language_code="en")
    await feed(message_update(emma, "/zoek"))
    bot_api.take(SendMessage)
    await feed(message_update(emma, location=LOMBOK))  # the search keyboard's location button
    first = bot_api.take(SendMessage)
    assert first.text.startswith("📍 <b>Near you</b> (7)\n\n1. <b>Buurtplek 0</b> — 830 m · ")
    assert "\n5. <b>Buurtplek 4</b> — 5.3 km · " in first.text
    assert button_rows(first.reply_markup)[-1] == ["1/2", "▶"]

    await feed(callback_update(emma, first.reply_markup.inline_keyboard[-1][1].callback_data))
    bot_api.take(AnswerCallbackQuery)
    second = bot_api.take(EditMessageText)
    assert "\n6. <b>Buurtplek 5</b>" in second.text and "\n7. <b>Buurtplek 6</b>" in second.text
    assert button_rows(second.reply_markup)[-1] == ["◀", "2/2"]


async def test_a_location_far_from_any_initiative_says_so(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    groningen = Location(latitude=53.2194, longitude=6.5665)
    await feed(message_update(make_user(language_code="nl"), location=groningen))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "📍 Ik ken nog geen initiatieven binnen 25 km van deze plek. "
        "Probeer /zoek met een woord of een plaatsnaam."
    )
    assert reply.reply_markup is None


def _inline(user: Any, query: str, offset: str = "") -> Any:
    return update_with(
        inline_query=InlineQuery(
            id=str(next_id()), from_user=user, query=query, offset=offset, chat_type="group"
        )
    )


async def test_inline_query_offers_shareable_cards(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(_inline(make_user(language_code="nl"), "moestuin"))
    bot_api.take(GetMe)
    answer = bot_api.take(AnswerInlineQuery)
    assert [result.title for result in answer.results] == [
        "Buurtmoestuin De Bongerd",
        "Groentetuin Zeist-West",
    ]
    first = answer.results[0]
    assert isinstance(first, InlineQueryResultArticle)
    assert first.id == f"i{gardens['bongerd']}"
    assert first.description == "Utrecht · Lombok · Natuur en groen · Voedsel"
    content: Any = first.input_message_content
    assert content.message_text.startswith("<b>Buurtmoestuin De Bongerd</b>\nSamen groenten")
    assert content.parse_mode == "HTML"
    assert [[b.text, b.url] for b in first.reply_markup.inline_keyboard[0]] == [
        ["🔎 Open in Samenspel", f"https://t.me/samenspel_test_bot?start=i_{gardens['bongerd']}"]
    ]
    assert answer.is_personal is True and answer.next_offset == ""


async def test_a_shared_card_is_read_from_the_database_even_before_the_index_knows(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process took a profile offline, and this process's index does not know yet (it
    learns within seconds). A card shared into a chat carries the contact details: it is read
    from the database, so that profile is not offered."""
    from bot.services.initiatives import profiles
    from bot.services.search import index_sync

    gardens = await add_gardens(repo, clock.now())
    feed.dispatcher["search_index"]._monotonic = lambda: 0.0  # no recheck falls due meanwhile
    emma = make_user(language_code="nl")
    await feed(_inline(emma, "moestuin"))
    bot_api.take_all()
    frozen = index_sync.changes_committed_here()  # what the other process commits is not seen
    monkeypatch.setattr(index_sync, "changes_committed_here", lambda: frozen)
    await profiles.set_hidden(repo, gardens["bongerd"], 1, hidden=True, now=clock.now())
    await feed(_inline(emma, "moestuin"))
    answer = bot_api.take(AnswerInlineQuery)
    assert [result.title for result in answer.results] == ["Groentetuin Zeist-West"]


async def test_an_inline_query_that_finds_nothing_takes_no_database_connection(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, engine: Any
) -> None:
    """Inline queries come with every key typed: one that finds nothing costs the database
    nothing (the person is known, the index current)."""
    from sqlalchemy import event

    await add_gardens(repo, clock.now())
    feed.dispatcher["search_index"]._monotonic = lambda: 0.0  # no recheck falls due meanwhile
    emma = make_user(language_code="nl")
    await feed(_inline(emma, "moestuin"))
    bot_api.take_all()
    checkouts: list[object] = []

    def checked_out(*args: object) -> None:
        checkouts.append(args)

    event.listen(engine.sync_engine.pool, "checkout", checked_out)
    try:
        await feed(_inline(emma, "xyzzyqq"))
    finally:
        event.remove(engine.sync_engine.pool, "checkout", checked_out)
    answer = bot_api.take(AnswerInlineQuery)
    assert (answer.results, checkouts) == ([], [])


async def test_inline_results_come_a_page_at_a_time(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    for number in range(12):
        await add_initiative(repo, clock.now(), name=f"Moestuin {number}")
    emma = make_user(language_code="en")
    await feed(_inline(emma, "moestuin"))
    bot_api.take(GetMe)
    first = bot_api.take(AnswerInlineQuery)
    assert (len(first.results), first.next_offset) == (10, "10")
    await feed(_inline(emma, "moestuin", offset="10"))
    second = bot_api.take(AnswerInlineQuery)
    assert (len(second.results), second.next_offset) == (2, "")
    assert not {r.id for r in first.results} & {r.id for r in second.results}


async def test_empty_inline_query_shows_a_hint_that_opens_the_search(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(_inline(make_user(language_code="nl"), "  "))
    answer = bot_api.take(AnswerInlineQuery)
    assert answer.results == []
    assert answer.button is not None
    assert (answer.button.text, answer.button.start_parameter) == (
        "Typ wat je zoekt, bijvoorbeeld moestuin",
        "zoek",
    )


async def test_inline_query_without_results_says_so_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    await feed(_inline(make_user(language_code="en"), "xyzzyqq"))
    answer = bot_api.take(AnswerInlineQuery)
    assert answer.results == []
    assert answer.button is not None
    assert answer.button.text == "Nothing found. Search in Samenspel itself"


async def test_the_hints_link_opens_search_mode(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="nl"), "/start zoek"))
    assert bot_api.take(SendMessage).text.startswith("🔎 <b>Wat zoek je?</b>")
