"""A result's card with [Similar] and [Contact], "possibly outdated", similar initiatives and
public contact details, through the real Dispatcher in Dutch and English."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.clock import FakeClock
from bot.keyboards.callbacks import SearchItemCallback
from bot.services.initiatives import profiles as initiatives
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user
from tests.initiatives_support import add_initiative
from tests.mocked_bot import MockedBotAPI, button_rows
from tests.search_support import add_gardens


def _tap(action: str, ident: int) -> str:
    return SearchItemCallback(action=action, id=ident).pack()


async def test_a_result_opens_its_card_with_similar_and_contact_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(callback_update(make_user(language_code="nl"), _tap("open", gardens["bongerd"])))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage)
    assert card.text == (
        "<b>Buurtmoestuin De Bongerd</b>\n"
        "Samen groenten kweken en oogsten in de wijk. Iedereen kan meedoen.\n\n"
        "🏷 Natuur en groen · Voedsel\n"
        "📍 Utrecht · Lombok\n"
        "🌐 https://bongerd.example.nl\n"
        "✉️ tuin@bongerd.example.nl\n"
        "💬 @bongerdtuin\n"
        "🔑 moestuin, tuinieren"
    )
    assert button_rows(card.reply_markup) == [
        ["🔁 Vergelijkbaar", "✉️ Contact"],
        ["🗺 Op de kaart", "📤 Delen"],
    ]
    assert card.reply_markup.inline_keyboard[1][0].url == (
        "https://www.openstreetmap.org/?mlat=52.09300&mlon=5.10100#map=16/52.09300/5.10100"
    )


async def test_a_stale_card_says_possibly_outdated_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    clock.advance(timedelta(days=400))
    await feed(callback_update(make_user(language_code="en"), _tap("open", ident)))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage)
    assert card.text.endswith("\n\n⚠️ Possibly outdated: not confirmed for over a year.")
    assert button_rows(card.reply_markup) == [
        ["🔁 Similar", "✉️ Contact"],
        ["🗺 On the map", "📤 Share"],
    ]


async def test_contact_shows_public_details_with_buttons_to_open_them(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(callback_update(make_user(language_code="nl"), _tap("contact", gardens["bongerd"])))
    bot_api.take(AnswerCallbackQuery)
    contact = bot_api.take(SendMessage)
    assert contact.text == (
        "✉️ <b>Contact met Buurtmoestuin De Bongerd</b>\n\n"
        "🌐 https://bongerd.example.nl\n"
        "✉️ tuin@bongerd.example.nl\n"
        "💬 @bongerdtuin\n\n"
        "Zeg erbij dat je ze via Samenspel hebt gevonden!"
    )
    assert [[b.url for b in row] for row in contact.reply_markup.inline_keyboard] == [
        ["https://bongerd.example.nl"],
        ["https://t.me/bongerdtuin"],
    ]


async def test_contact_without_public_details_says_so_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(callback_update(make_user(language_code="en"), _tap("contact", gardens["zeist"])))
    bot_api.take(AnswerCallbackQuery)
    contact = bot_api.take(SendMessage)
    assert contact.text == (
        "<b>Groentetuin Zeist-West</b> has not shared contact details in Samenspel. "
        "Perhaps you can meet them at one of the meetups in /agenda."
    )
    assert contact.reply_markup is None


async def test_similar_lists_the_initiatives_most_alike(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await add_initiative(
        repo,
        clock.now(),
        name="Volkstuin Oog in Al",
        description="Groenten kweken in een volkstuin aan de Kanaalweg.",
        themes=["natuur-en-groen"],
        keywords=["moestuin"],
    )
    await feed(callback_update(make_user(language_code="nl"), _tap("similar", gardens["bongerd"])))
    bot_api.take(AnswerCallbackQuery)
    similar = bot_api.take(SendMessage)
    assert similar.text.startswith(
        "🔁 <b>Lijkt op Buurtmoestuin De Bongerd</b>\n\n1. <b>Volkstuin Oog in Al</b>"
    )
    rows = button_rows(similar.reply_markup)
    assert rows[0] == ["1. Volkstuin Oog in Al"]
    assert "Taalcafé Overvecht" not in similar.text.split("\n3.")[0]


async def test_a_result_taken_offline_meanwhile_says_so(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    from tests.initiatives_support import add_person

    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    await initiatives.unpublish(repo, ident, anna.id, now=clock.now())
    for action in ("open", "similar", "contact"):
        await feed(callback_update(make_user(language_code="nl"), _tap(action, ident)))
        answer = bot_api.take(AnswerCallbackQuery)
        assert answer.text == "Dit initiatief is niet meer te vinden."
        assert answer.show_alert is True
