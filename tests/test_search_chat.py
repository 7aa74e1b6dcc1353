"""/zoek, the menu's search and search mode, pages and filters, and a search that finds nothing,
through the real Dispatcher in Dutch and English."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.clock import FakeClock
from bot.keyboards.callbacks import MenuAction, MenuCallback, SearchCallback
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative
from tests.mocked_bot import MockedBotAPI, button_rows
from tests.search_support import add_gardens

HINT_NL = "Tik op een resultaat voor meer. Typ andere woorden om opnieuw te zoeken."


def _data(markup: Any) -> list[list[str]]:
    return [[button.callback_data for button in row] for row in markup.inline_keyboard]


async def test_zoek_lists_ranked_results_with_a_button_each_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(message_update(make_user(language_code="nl"), "/zoek moestuinen"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "🔎 <b>Resultaten voor “moestuinen”</b> (2)\n\n"
        "1. <b>Buurtmoestuin De Bongerd</b> — Utrecht · Lombok\n"
        "    <i>Samen groenten kweken en oogsten in de wijk. Iedereen kan meedoen.</i>\n"
        "2. <b>Groentetuin Zeist-West</b> — Zeist\n"
        "    <i>Een volkstuin waar ouderen en kinderen samen tuinieren.</i>\n\n" + HINT_NL
    )
    assert button_rows(reply.reply_markup) == [
        ["1. Buurtmoestuin De Bongerd"],
        ["2. Groentetuin Zeist-West"],
        ["🏷 Thema", "📍 Gemeente"],
    ]
    assert _data(reply.reply_markup)[:2] == [
        [f"si:open:{gardens['bongerd']}"],
        [f"si:open:{gardens['zeist']}"],
    ]


async def test_search_speaks_english_and_folds_accents(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    await feed(message_update(make_user(language_code="en"), "/search taalcafe"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "🔎 <b>Results for “taalcafe”</b> (1)\n\n"
        "1. <b>Taalcafé Overvecht</b> — Utrecht · Overvecht\n"
        "    <i>Elke week Nederlands oefenen met koffie en een praatje.</i>\n\n"
        "Tap a result for more. Type other words to search again."
    )
    assert button_rows(reply.reply_markup) == [
        ["1. Taalcafé Overvecht"],
        ["🏷 Theme", "📍 Municipality"],
    ]


async def _search_gardens(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, count: int
) -> tuple[Any, SendMessage]:
    """`count` gardens ("Moestuin nummer 1", …), and someone's `/zoek moestuin` with its answer."""
    for number in range(1, count + 1):
        await add_initiative(
            repo, clock.now(), name=f"Moestuin nummer {number}", description="Samen tuinieren."
        )
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek moestuin"))
    return anna, bot_api.take(SendMessage)


async def test_arrows_page_through_the_results(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, first = await _search_gardens(feed, bot_api, repo, clock, 7)
    assert first.text.startswith("🔎 <b>Resultaten voor “moestuin”</b> (7)\n\n1. <b>Moestuin")
    assert button_rows(first.reply_markup)[5:] == [["1/2", "▶"], ["🏷 Thema", "📍 Gemeente"]]

    forward = first.reply_markup.inline_keyboard[5][1].callback_data
    await feed(callback_update(anna, forward))
    bot_api.take(AnswerCallbackQuery)
    second = bot_api.take(EditMessageText)
    assert "\n6. <b>Moestuin nummer" in second.text and "\n7. <b>Moestuin nummer" in second.text
    assert "\n1. <b>" not in second.text
    rows = button_rows(second.reply_markup)
    assert rows[0][0].startswith("6. Moestuin nummer") and len(rows) == 4
    assert rows[2:] == [["◀", "2/2"], ["🏷 Thema", "📍 Gemeente"]]


async def test_theme_and_municipality_filters_narrow_the_results(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek tuin"))
    reply = bot_api.take(SendMessage)
    token = int(_data(reply.reply_markup)[-1][0].split(":")[1])

    await feed(callback_update(anna, SearchCallback(q=token, pick="theme").pack()))
    bot_api.take(AnswerCallbackQuery)
    picker = bot_api.take(EditMessageText)
    assert picker.text == "Welk thema?"
    assert button_rows(picker.reply_markup) == [
        ["Natuur en groen (2)", "Ouderen (1)"],
        ["Voedsel (1)", "⬅️ Terug"],
    ]

    await feed(callback_update(anna, SearchCallback(q=token, theme="ouderen").pack()))
    bot_api.take(AnswerCallbackQuery)
    narrowed = bot_api.take(EditMessageText)
    assert narrowed.text.startswith(
        "🔎 <b>Resultaten voor “tuin”</b> (1)\nAlleen: 🏷 Ouderen\n\n1. <b>Groentetuin Zeist-West"
    )
    assert button_rows(narrowed.reply_markup)[-1] == ["🏷 Ouderen ✖", "📍 Gemeente"]

    await feed(callback_update(anna, SearchCallback(q=token, pick="place").pack()))
    bot_api.take(AnswerCallbackQuery)
    places = bot_api.take(EditMessageText)
    assert places.text == "Welke gemeente?"
    assert button_rows(places.reply_markup) == [["Utrecht (1)", "Zeist (1)"], ["⬅️ Terug"]]

    await feed(callback_update(anna, SearchCallback(q=token, place="Utrecht").pack()))
    bot_api.take(AnswerCallbackQuery)
    in_utrecht = bot_api.take(EditMessageText)
    assert in_utrecht.text.startswith(
        "🔎 <b>Resultaten voor “tuin”</b> (1)\nAlleen: 📍 Utrecht\n\n1. <b>Buurtmoestuin De Bongerd"
    )
    assert button_rows(in_utrecht.reply_markup)[-1] == ["🏷 Thema", "📍 Utrecht ✖"]


async def test_nothing_found_says_so_and_offers_themes_that_list_initiatives(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek groenvoorziening"))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "🔎 Niets gevonden voor “groenvoorziening”.\n\n"
        "Probeer andere woorden, of kijk bij een van deze thema's:"
    )
    rows = button_rows(reply.reply_markup)
    assert rows[0] == ["🏷 Natuur en groen"]
    assert _data(reply.reply_markup)[0] == ["sr:0:0:natuur-en-groen::"]

    await feed(callback_update(anna, SearchCallback(q=0, theme="natuur-en-groen").pack()))
    bot_api.take(AnswerCallbackQuery)
    listed = bot_api.take(EditMessageText)
    assert listed.text.startswith("🔎 <b>Resultaten voor “Natuur en groen”</b> (2)\n")
    assert button_rows(listed.reply_markup)[-1] == ["📍 Gemeente"]


async def test_nothing_found_in_english_without_any_initiatives_stays_helpful(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(language_code="en"), "/zoek xyzzyqq"))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "🔎 Nothing found for “xyzzyqq”.\n\n"
        "Try other or fewer words, for example “moestuin” or “taalcafé”."
    )
    assert reply.reply_markup.inline_keyboard == []


async def test_menu_search_takes_the_next_text_as_query_until_stopped(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, MenuCallback(action=MenuAction.SEARCH).pack()))
    bot_api.take(AnswerCallbackQuery)
    prompt = bot_api.take(SendMessage)
    assert prompt.text == (
        "🔎 <b>Wat zoek je?</b>\nTyp een paar woorden, bijvoorbeeld <i>moestuin</i>, "
        "<i>taalcafé Overvecht</i> of <i>ouderen Zeist</i>. "
        "Of deel je locatie om te zien wat er dichtbij is."
    )
    assert isinstance(prompt.reply_markup, ReplyKeyboardMarkup)
    assert button_rows(prompt.reply_markup) == [["📍 Deel mijn locatie"], ["✖️ Stoppen met zoeken"]]
    assert prompt.reply_markup.keyboard[0][0].request_location is True

    await feed(message_update(anna, "volkstuinen"))
    assert bot_api.take(SendMessage).text.startswith("🔎 <b>Resultaten voor “volkstuinen”</b> (2)")
    await feed(message_update(anna, "taal"))  # still searching: a second query
    assert bot_api.take(SendMessage).text.startswith("🔎 <b>Resultaten voor “taal”</b> (1)")

    await feed(message_update(anna, "✖️ Stoppen met zoeken"))
    stopped = bot_api.take(SendMessage)
    assert stopped.text == (
        "Oké, gestopt met zoeken. Typ /zoek om weer te zoeken, of /menu voor de rest."
    )
    assert isinstance(stopped.reply_markup, ReplyKeyboardRemove)
    await feed(message_update(anna, "moestuin"))  # plain text outside search mode: a search too
    assert bot_api.take(SendMessage).text.startswith("🔎 <b>Ik zocht naar “moestuin”</b> (2)")


async def test_zoek_without_words_asks_in_english_and_commands_still_work(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(language_code="en")
    await feed(message_update(emma, "/zoek"))
    prompt = bot_api.take(SendMessage)
    assert prompt.text.startswith("🔎 <b>What are you looking for?</b>\nType a few words")
    assert button_rows(prompt.reply_markup) == [["📍 Share my location"], ["✖️ Stop searching"]]
    await feed(message_update(emma, "✖️ Stop searching"))
    assert bot_api.take(SendMessage).text == (
        "OK, stopped searching. Type /search to search again, or /menu for everything else."
    )


async def test_a_sticker_in_search_mode_says_what_is_expected(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    from aiogram.types import Sticker

    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek"))
    bot_api.take(SendMessage)
    sticker = Sticker(
        file_id="s",
        file_unique_id="s",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )
    await feed(message_update(anna, sticker=sticker))
    assert bot_api.take(SendMessage).text == (
        "Typ een paar woorden om te zoeken, of deel je locatie om te zien wat er dichtbij is."
    )


async def test_a_button_of_a_forgotten_search_says_it_expired(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(callback_update(make_user(language_code="nl"), SearchCallback(q=99, page=1).pack()))
    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "Deze zoekopdracht is verlopen. Typ je woorden opnieuw, of /zoek."
    assert answer.show_alert is True


async def test_a_hidden_initiative_disappears_from_search_at_once(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek taalcafé"))
    assert "(1)" in bot_api.take(SendMessage).text

    kees = make_user(id=COORDINATOR_ID, language_code="nl")
    await feed(message_update(kees, f"/verberg {gardens['taalcafe']}"))
    bot_api.take(SendMessage)
    await feed(message_update(anna, "taalcafé"))
    assert bot_api.take(SendMessage).text.startswith("🔎 Niets gevonden voor “taalcafé”.")


async def test_tapping_the_page_already_shown_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    for number in range(6):
        await add_initiative(repo, clock.now(), name=f"Moestuin {number}")
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/zoek moestuin"))
    reply = bot_api.take(SendMessage)
    current = reply.reply_markup.inline_keyboard[5][0]
    assert current.text == "1/2"
    bot_api.will_return(True)  # the answer to the tap
    bot_api.will_return(
        TelegramBadRequest(
            method=EditMessageText(text="…"),
            message="Bad Request: message is not modified",
        )
    )
    await feed(callback_update(anna, current.callback_data))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageText)  # refused by Telegram as unchanged, and nothing else happens


async def test_a_later_page_is_one_search_and_a_page_past_the_end_shows_the_last(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, monkeypatch: Any
) -> None:
    """The page and the number of results come from one search; an arrow to a page that is no
    longer there (results were hidden since) shows the last page there is."""
    from bot.search import SearchIndex

    anna, first = await _search_gardens(feed, bot_api, repo, clock, 11)
    assert button_rows(first.reply_markup)[5] == ["1/3", "▶"]
    forward = first.reply_markup.inline_keyboard[5][1].callback_data
    searches: list[int] = []
    real = SearchIndex.search

    def counted(index: SearchIndex, query: str, **options: Any) -> Any:
        searches.append(options.get("offset", 0))
        return real(index, query, **options)

    monkeypatch.setattr(SearchIndex, "search", counted)
    await feed(callback_update(anna, forward))
    bot_api.take(AnswerCallbackQuery)
    second = bot_api.take(EditMessageText)
    assert "\n6. <b>Moestuin nummer" in second.text and searches == [5]

    last_page_gone = SearchCallback.unpack(forward).model_copy(update={"page": 5}).pack()
    searches.clear()
    await feed(callback_update(anna, last_page_gone))
    bot_api.take(AnswerCallbackQuery)
    last = bot_api.take(EditMessageText)
    assert "\n11. <b>Moestuin nummer" in last.text and "\n10. <b>" not in last.text
    assert button_rows(last.reply_markup)[1] == ["◀", "3/3"]
    assert searches == [25, 10]
