"""A resident's first minutes, through the real Dispatcher in Dutch and English: plain words are a
search, a greeting gets the welcome, a mistyped command the closest one; reply keyboards never
outlive their mode and a stale button changes nothing; a path that ends offers the next step; one
card everywhere, with [📤 Share]; command names in the person's own language."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Dispatcher, Router
from aiogram.filters import Command
from aiogram.methods import (
    AnswerCallbackQuery,
    AnswerInlineQuery,
    EditMessageText,
    GetMe,
    SendMessage,
)
from aiogram.types import InlineQuery, InlineQueryResultArticle, ReplyKeyboardRemove
from sqlalchemy import select

from bot.clock import FakeClock
from bot.commands import ALL
from bot.config import Settings
from bot.keyboards.callbacks import (
    InitiativeAction,
    InitiativeCallback,
    IntroAction,
    IntroCallback,
    MenuAction,
    MenuCallback,
    RegisterCallback,
)
from storage.models import OutboxMessage, Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import render
from tests.event_helpers import make_event
from tests.factories import callback_update, make_user, message_update, next_id, update_with
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows
from tests.search_support import add_gardens

MENU_NL = [
    ["🔎 Zoeken", "📅 Agenda"],
    ["🗓 Mijn agenda", "➕ Nieuw initiatief"],
    ["🏠 Mijn initiatieven", "🙋 Vraag andere initiatieven"],
    ["📚 Kennisbank", "❓ Hulp"],
    ["🌐 Taal"],
]
WELCOME_NL = (
    "Hoi Anna! 👋 Welkom bij <b>Samenspel</b>.\n\n"
    "Hier vind je initiatieven van bewoners in de provincie Utrecht. Je kunt je aanmelden voor "
    "dialoogtafels en trainingen, en met elkaar in contact komen.\n\n"
    "Kies hieronder wat je wilt doen, of typ gewoon wat je zoekt. Je kunt ook /help typen."
)


def _data(markup: Any) -> list[list[str | None]]:
    return [[button.callback_data for button in row] for row in markup.inline_keyboard]


# 1. Plain words outside any conversation


@pytest.mark.parametrize(
    ("language", "words", "heading", "last_row"),
    [
        ("nl", "moestuin", "🔎 <b>Ik zocht naar “moestuin”</b> (2)", ["☰ Menu"]),
        ("en", "garden moestuin", "🔎 <b>I searched for “garden moestuin”</b>", ["☰ Menu"]),
    ],
)  # fmt: skip
async def test_plain_words_are_a_search_with_the_menu_one_tap_away(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock,
    language: str, words: str, heading: str, last_row: list[str],
) -> None:  # fmt: skip
    await add_gardens(repo, clock.now())
    anna = make_user(language_code=language)
    await feed(message_update(anna, words))

    reply = bot_api.take(SendMessage)
    assert reply.text.startswith(heading)
    rows = button_rows(reply.reply_markup)
    assert rows[0][0].endswith("Buurtmoestuin De Bongerd")
    assert rows[-1] == last_row
    assert _data(reply.reply_markup)[-1] == [MenuCallback(action=MenuAction.MENU).pack()]

    await feed(callback_update(anna, MenuCallback(action=MenuAction.MENU).pack()))
    bot_api.take(AnswerCallbackQuery)
    menu = bot_api.take(SendMessage)
    assert menu.text in ("Wat wil je doen?", "What do you want to do?")


async def test_words_that_find_nothing_say_what_was_searched(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    await feed(message_update(make_user(language_code="nl"), "repair cafe utrecht"))
    reply = bot_api.take(SendMessage)
    assert reply.text.startswith("🔎 Ik zocht naar “repair cafe utrecht”, maar vond niets.")
    assert button_rows(reply.reply_markup)[-1] == ["☰ Menu"]


@pytest.mark.parametrize(
    "greeting", ["hallo", "Hoi!", "hallooo", "goedemorgen allemaal", "hi there"]
)
async def test_a_greeting_gets_the_welcome(
    feed: Feeder, bot_api: MockedBotAPI, greeting: str
) -> None:
    await feed(message_update(make_user(first_name="Anna", language_code="nl"), greeting))
    reply = bot_api.take(SendMessage)
    assert reply.text == WELCOME_NL
    assert button_rows(reply.reply_markup) == MENU_NL


async def test_a_greeting_in_english_and_a_thank_you(feed: Feeder, bot_api: MockedBotAPI) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(message_update(emma, "Good morning"))
    assert bot_api.take(SendMessage).text.startswith("Hi Emma! 👋 Welcome to <b>Samenspel</b>.")
    await feed(message_update(emma, "thanks!"))
    assert bot_api.take(SendMessage).text == (
        "👍 Type what you are looking for, or choose from the menu:"
    )
    await feed(message_update(make_user(language_code="nl"), "👍"))
    assert bot_api.take(SendMessage).text == "👍 Typ wat je zoekt, of kies in het menu:"


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("nl", "/zoekk moestuin", "Die opdracht ken ik niet. Bedoel je /zoek?"),
        ("nl", "/agneda", "Die opdracht ken ik niet. Bedoel je /agenda?"),
        ("nl", "/serch", "Die opdracht ken ik niet. Bedoel je /zoek?"),
        ("en", "/serch", "I don't know that command. Did you mean /search?"),
        ("en", "/mijnagneda", "I don't know that command. Did you mean /myagenda?"),
        ("en", "/frobnicate", "I don't know that command. Choose from the menu or type /help."),
    ],
)
async def test_a_mistyped_command_gets_the_closest_one_of_the_persons_role(
    feed: Feeder, bot_api: MockedBotAPI, language: str, typed: str, answer: str
) -> None:
    await feed(message_update(make_user(language_code=language), typed))
    assert bot_api.take(SendMessage).text == answer


async def test_a_coordinator_gets_coordinator_commands_suggested(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    kees = make_user(id=COORDINATOR_ID, language_code="nl")
    await feed(message_update(kees, "/berricht"))
    assert bot_api.take(SendMessage).text == "Die opdracht ken ik niet. Bedoel je /bericht?"
    await feed(message_update(make_user(language_code="nl"), "/berricht"))
    assert bot_api.take(SendMessage).text == (
        "Die opdracht ken ik niet. Kies uit het menu of typ /help."
    )


# 2. Reply keyboards and buttons of an earlier step


async def test_leaving_search_mode_for_another_flow_takes_its_keyboard_away(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, MenuCallback(action=MenuAction.SEARCH).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).reply_markup.keyboard  # type: ignore[union-attr]
    await feed(message_update(anna, "moestuin"))
    bot_api.take(SendMessage)

    await feed(message_update(anna, "/nieuw"))
    intro = bot_api.take(SendMessage)
    assert isinstance(intro.reply_markup, ReplyKeyboardRemove)
    bot_api.take(SendMessage)  # the first question

    await feed(message_update(anna, "✖️ Stoppen met zoeken"))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "Die knop hoort bij een eerdere stap, dus ik heb hem weggehaald. Er is niets veranderd: "
        "ga gewoon verder waar je was."
    )
    assert isinstance(reply.reply_markup, ReplyKeyboardRemove)
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and not draft.name
    await repo.session.commit()

    await feed(message_update(anna, "Moestuin De Zon"))
    assert bot_api.take(SendMessage).text.startswith("<i>Stap 2 van 11</i>")


async def test_a_stale_search_button_outside_any_mode_changes_nothing_in_english(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(language_code="en")
    await feed(message_update(emma, "✖️ Stop searching"))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "That button belongs to an earlier step, so I've taken it away. Nothing has changed: "
        "go on where you were."
    )
    assert isinstance(reply.reply_markup, ReplyKeyboardRemove)


async def test_a_stale_yes_on_the_duplicate_hint_keeps_the_draft(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    existing_id = (await add_initiative(repo, clock.now(), name="Buurtmoestuin Overvecht")).id
    emma = make_user(first_name="Emma", language_code="en")
    for text in (
        "/new",
        "Buurtmoestuin Overvecht",
        "A different garden across the park.",
        "food",
        "utrecht",
    ):
        await feed(message_update(emma, text))
    bot_api.calls.clear()
    no = RegisterCallback(action="dup_no", value=str(existing_id)).pack()
    await feed(callback_update(emma, no))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)  # the next question

    yes = RegisterCallback(action="dup_yes", value=str(existing_id)).pack()
    await feed(callback_update(emma, yes))
    alert = bot_api.take(AnswerCallbackQuery)
    assert alert.text == "This button belongs to an earlier step. Nothing has changed."
    assert alert.show_alert is True
    assert not bot_api.calls
    draft = await repo.initiatives.unfinished_draft(emma.id)
    assert draft is not None and draft.name == "Buurtmoestuin Overvecht"
    assert await repo.initiatives.join_request(initiative_id=existing_id, user_id=emma.id) is None


async def test_a_theme_button_of_an_earlier_step_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    for text in ("/nieuw", "Moestuin De Zon", "Samen tuinieren in de wijk."):
        await feed(message_update(anna, text))
    await feed(message_update(anna, "voedsel"))  # typed: the themes step is done
    bot_api.calls.clear()
    await feed(callback_update(anna, RegisterCallback(action="theme", value="wonen").pack()))
    alert = bot_api.take(AnswerCallbackQuery)
    assert alert.text == "Deze knop hoort bij een eerdere stap. Er is niets veranderd."
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and list(draft.themes) == ["voedsel"]


async def test_stop_stops_a_conversation_and_never_opts_out(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, MenuCallback(action=MenuAction.SEARCH).pack()))
    bot_api.take(AnswerCallbackQuery), bot_api.take(SendMessage)
    await feed(message_update(anna, "/stop"))
    stopped = bot_api.take(SendMessage)
    assert stopped.text == "Oké, gestopt. Er is verder niets bewaard. Typ /menu voor de rest."
    assert isinstance(stopped.reply_markup, ReplyKeyboardRemove)
    await feed(message_update(anna, "/stop"))
    assert bot_api.take(SendMessage).text == (
        "Er loopt nu niets om te stoppen. Wil je geen mededelingen van de coördinatoren meer "
        "krijgen? Stuur dan /geenmededelingen."
    )
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.announcements_stopped_at is None


# 3. Paths that end offer the next step


async def test_an_unknown_link_answers_once_with_the_welcome(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(first_name="Anna"), "/start zz_nothing"))
    reply = bot_api.take(SendMessage)
    assert reply.text == "Deze link werkt niet (meer).\n\n" + WELCOME_NL
    assert button_rows(reply.reply_markup) == MENU_NL
    assert not bot_api.calls


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("i_999999", "Ik kan dat initiatief niet vinden. Misschien is het offline gehaald "
                     "of verwijderd."),
        ("e_999999", "Ik kan die activiteit niet vinden. Misschien is ze afgelast of weggehaald."),
        ("k_999999", "Dit artikel bestaat niet (meer)."),
        ("inv_notavalidtoken", "Deze uitnodiging werkt niet meer: ze is al gebruikt of verlopen. "
                               "Vraag de persoon die haar stuurde om een nieuwe link."),
    ],
)  # fmt: skip
async def test_an_old_link_says_why_once_and_a_newcomer_still_gets_the_welcome(
    feed: Feeder, bot_api: MockedBotAPI, payload: str, problem: str
) -> None:
    await feed(message_update(make_user(first_name="Anna"), f"/start {payload}"))
    reply = bot_api.take(SendMessage)
    assert reply.text == f"{problem}\n\n{WELCOME_NL}"
    assert button_rows(reply.reply_markup) == MENU_NL
    assert not bot_api.calls


async def test_after_deleting_an_initiative_the_menu_is_one_tap_away(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    initiative = await add_initiative(repo, clock.now(), owners=(anna.id,))
    confirmed = InitiativeCallback(
        action=InitiativeAction.DELETE_CONFIRMED, id=initiative.id
    ).pack()
    await feed(callback_update(anna, confirmed))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert edited.text == "🗑 <b>Repair Café Lombok</b> is verwijderd."
    assert button_rows(edited.reply_markup) == [["☰ Menu"]]


async def test_contact_with_an_initiative_nobody_uses_offers_similar_ones_and_the_menu(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    imported = (await add_initiative(repo, clock.now(), name="Buurthuis De Linde")).id
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await add_person(repo, kees, clock.now())
    async with repo.write():
        coordinator = await repo.users.get(COORDINATOR_ID)
        assert coordinator is not None
        coordinator.role = Role.COORDINATOR
    emma = make_user(language_code="en")
    await feed(callback_update(emma, IntroCallback(action=IntroAction.START, id=imported).pack()))
    bot_api.take(AnswerCallbackQuery)
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "Nobody of <b>Buurthuis De Linde</b> uses Samenspel yet, and they have no public "
        "contact details."
    )
    assert button_rows(reply.reply_markup) == [
        ["📨 Ask the coordinators"],
        ["🔁 Similar"],
        ["☰ Menu"],
    ]

    await feed(callback_update(emma, IntroCallback(action=IntroAction.PASS_ON, id=imported).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith("✉️ Write your message in one go.")
    await feed(message_update(emma, "Hello! Can we use your hall for a neighbourhood meal?"))
    sent = bot_api.take(SendMessage)
    assert sent.text == (
        "✅ Sent to the coordinators. They'll pass it on to <b>Buurthuis De Linde</b> and let "
        "you know."
    )
    rows = (
        (
            await repo.session.execute(
                select(OutboxMessage).where(OutboxMessage.kind == "intro.pass_on")
            )
        )
        .scalars()
        .all()
    )
    assert [(row.recipient_id, row.params["text"]) for row in rows] == [
        (COORDINATOR_ID, "Hello! Can we use your hall for a neighbourhood meal?")
    ]
    await repo.session.commit()
    shown = await render(repo, rows[0], settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text.startswith(
        "📨 <b>Wil je dit doorgeven aan Buurthuis De Linde?</b> Niemand van dit initiatief "
        "gebruikt Samenspel nog."
    )
    assert "<blockquote>Hello! Can we use your hall for a neighbourhood meal?</blockquote>" in (
        shown.text
    )


# 5. One card everywhere, with [📤 Share]


async def test_the_card_from_a_link_is_the_card_from_a_search(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    anna = make_user(language_code="nl")
    await feed(message_update(anna, f"/start i_{gardens['bongerd']}"))
    from_link = bot_api.take(SendMessage)
    await feed(callback_update(anna, f"si:open:{gardens['bongerd']}"))
    bot_api.take(AnswerCallbackQuery)
    from_search = bot_api.take(SendMessage)

    assert from_link.text == from_search.text
    assert "Op de kaart" not in from_link.text
    assert from_link.reply_markup == from_search.reply_markup
    assert button_rows(from_link.reply_markup) == [
        ["🔁 Vergelijkbaar", "✉️ Contact"],
        ["🗺 Op de kaart", "📤 Delen"],
    ]
    share = from_link.reply_markup.inline_keyboard[1][1]  # type: ignore[union-attr]
    assert share.switch_inline_query == f"i_{gardens['bongerd']}"


def _inline(user: Any, query: str) -> Any:
    return update_with(
        inline_query=InlineQuery(
            id=str(next_id()), from_user=user, query=query, offset="", chat_type="group"
        )
    )


async def test_share_offers_exactly_that_card_in_any_chat(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    gardens = await add_gardens(repo, clock.now())
    await feed(_inline(make_user(language_code="nl"), f"i_{gardens['zeist']}"))
    bot_api.take(GetMe)
    answer = bot_api.take(AnswerInlineQuery)
    assert [result.title for result in answer.results] == ["Groentetuin Zeist-West"]

    event_id = (await make_event(repo, clock, title="Dialoogtafel Lombok")).id
    await feed(_inline(make_user(language_code="en"), f"e_{event_id}"))
    [result] = bot_api.take(AnswerInlineQuery).results
    assert isinstance(result, InlineQueryResultArticle)
    assert result.title == "Dialoogtafel Lombok"
    content: Any = result.input_message_content
    assert content.message_text.startswith("🗣 <b>Dialoogtafel Lombok</b>")
    assert [[b.text, b.url] for b in result.reply_markup.inline_keyboard[0]] == [  # type: ignore[union-attr]
        ["🔎 Open in Samenspel", f"https://t.me/samenspel_test_bot?start=e_{event_id}"]
    ]

    await feed(_inline(make_user(language_code="nl"), "i_987654"))
    assert bot_api.take(AnswerInlineQuery).results == []


async def test_an_event_card_has_a_share_button(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    await feed(message_update(make_user(language_code="nl"), f"/start e_{event_id}"))
    card = bot_api.take(SendMessage)
    last_row = card.reply_markup.inline_keyboard[-1]  # type: ignore[union-attr]
    assert [button.text for button in last_row] == ["◀ Alle activiteiten", "📤 Delen"]
    assert last_row[1].switch_inline_query == f"e_{event_id}"


async def test_an_invitation_has_a_share_button(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    initiative_id = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    invite = InitiativeCallback(action=InitiativeAction.INVITE, id=initiative_id).pack()
    await feed(callback_update(anna, invite))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(GetMe)
    sent = bot_api.take(SendMessage)
    [[share]] = sent.reply_markup.inline_keyboard  # type: ignore[union-attr]
    assert share.text == "📤 Delen"
    assert share.url is not None and share.url.startswith("https://t.me/share/url?url=https")
    assert "Doe+mee+met+Repair+Caf%C3%A9+Lombok+in+Samenspel" in share.url


# 7. Command names in the person's language; both work for everyone


def _handled_commands(router: Router) -> set[str]:
    found: set[str] = set()
    for observer in router.observers.values():
        for handler in observer.handlers:
            for flt in handler.filters or []:
                if isinstance(flt.callback, Command):
                    found.update(c for c in flt.callback.commands if isinstance(c, str))
    for sub in router.sub_routers:
        found |= _handled_commands(sub)
    return found


def test_both_names_of_every_command_in_the_menus_are_handled(dispatcher: Dispatcher) -> None:
    names = {name for entry in ALL for name in entry.names}
    assert names - _handled_commands(dispatcher) == set()


@pytest.mark.parametrize(
    ("typed", "language", "starts"),
    [
        ("/search moestuin", "nl", "🔎 <b>Resultaten voor “moestuin”</b>"),
        ("/zoek moestuin", "en", "🔎 <b>Results for “moestuin”</b>"),
        ("/myagenda", "nl", "Je agenda is nog leeg. Kijk bij /agenda wat er te doen is."),
        ("/mijnagenda", "en", "Your agenda is empty. See what's on with /agenda."),
    ],
)
async def test_both_names_work_for_everyone(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock,
    typed: str, language: str, starts: str,
) -> None:  # fmt: skip
    await add_gardens(repo, clock.now())
    await feed(message_update(make_user(language_code=language), typed))
    assert bot_api.take(SendMessage).text.startswith(starts)


async def test_help_lists_what_a_resident_can_do_with_english_names(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(language_code="en"), "/help"))
    text = bot_api.take(SendMessage).text
    assert text.startswith(
        "<b>What can I do?</b>\n\n"
        "<b>Finding</b>\n"
        "/search – Search initiatives\n"
        "/knowledge – Knowledge base: rules and practical tips\n\n"
        "<b>Taking part</b>\n"
        "/agenda – Tables, trainings and meetups\n"
    )
    for line in (
        "/ask – Ask other initiatives a question",
        "/privacy – What we keep about you, and why",
        "/settings – Weekly overview and other settings",
        "/noannouncements – ",
    ):
        assert line in text
    assert "/zoek" not in text and "/broadcast" not in text and "/availability" not in text


async def test_help_for_a_coordinator_adds_their_tools_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(id=COORDINATOR_ID, language_code="nl"), "/help"))
    text = bot_api.take(SendMessage).text
    assert (
        "<b>Tafels begeleiden</b>\n/beschikbaarheid – Wanneer jij een tafel kunt begeleiden" in text
    )
    assert "<b>Voor coördinatoren</b>\n/verberg – " in text
    assert "/bericht – Een bericht naar een groep sturen" in text
    assert "/search" not in text
    assert len(text) < 4096


# 4. A long paste that Telegram cut in parts is one answer


def _paste(length: int) -> str:
    words = ("We tuinieren samen met de buurt. " * (length // 30 + 1))[:length]
    return words


@pytest.mark.parametrize("sizes", [(4096, 904), (4096, 4096, 500)])
async def test_the_parts_of_a_long_paste_are_one_answer(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, sizes: tuple[int, ...]
) -> None:
    emma = make_user(language_code="en")
    for text in ("/new", "Moestuin De Zon"):
        await feed(message_update(emma, text))
    bot_api.calls.clear()
    whole = _paste(sum(sizes))
    cuts = [sum(sizes[:i]) for i in range(len(sizes) + 1)]
    parts = [whole[cuts[i] : cuts[i + 1]] for i in range(len(sizes))]

    async def send(number: int, part: str) -> None:
        await asyncio.sleep(0.2 * number)  # the next part follows a moment later
        await feed(message_update(emma, part))

    await asyncio.gather(*(send(number, part) for number, part in enumerate(parts)))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        f"Please write between 20 and 1000 characters; this was {len(whole.strip())}. Try again?"
    )
    assert not bot_api.calls
    draft = await repo.initiatives.unfinished_draft(emma.id)
    assert draft is not None and not draft.description
    await repo.session.commit()

    await feed(message_update(emma, "We tuinieren samen met de buurt op zaterdag."))
    assert bot_api.take(SendMessage).text.startswith("<i>Step 3 of 11</i>")


async def test_one_full_message_alone_is_answered_after_a_moment(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(language_code="en")
    for text in ("/new", "Moestuin De Zon"):
        await feed(message_update(emma, text))
    bot_api.calls.clear()
    await feed(message_update(emma, _paste(4096)))
    assert bot_api.take(SendMessage).text == (
        "Please write between 20 and 1000 characters; this was 4096. Try again?"
    )
