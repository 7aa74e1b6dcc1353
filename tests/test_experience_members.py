"""What initiative members stumbled over, through the real Dispatcher in Dutch and English:
themes joined with "en", the inviter hears who joined, /helpen says what it saved, a one-tap
confirmation before declining, reporting, blocking or taking a profile offline, the daily
contact limit before writing, and co-members who see a colleague answered already."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import (
    ConfirmCallback,
    InitiativeAction,
    InitiativeCallback,
    IntroAction,
    IntroCallback,
    JoinRequestCallback,
    PeerAction,
    PeerCallback,
)
from bot.services.connections import help_offers
from bot.services.connections import introductions as intro
from bot.services.connections import peer_questions as peers
from bot.services.initiatives import invites
from bot.services.initiatives.freshness import schedule_freshness_nudges
from bot.services.initiatives.profiles import confirm_fresh
from storage.models import InitiativeInvite, Role, SenderBlock
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows, render
from tests.factories import callback_update, make_message, make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows


@pytest.mark.parametrize(
    ("language", "typed", "themes"),
    [
        ("nl", "duurzaamheid en leefbaarheid", ["leefbaarheid", "duurzaamheid"]),
        ("nl", "Natuur en groen en jongeren", ["natuur-en-groen", "jongeren"]),
        ("en", "housing and food", ["wonen", "voedsel"]),
        ("nl", "Duurzaamheid & Wonen", ["wonen", "duurzaamheid"]),
    ],
)
async def test_typed_themes_joined_with_and_are_understood(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, language: str, typed: str, themes: list[str]
) -> None:
    anna = make_user(language_code=language)
    for text in ("/nieuw", "Moestuin De Zon", "Samen tuinieren in de wijk, elke zaterdag.", typed):
        await feed(message_update(anna, text))
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and sorted(draft.themes) == sorted(themes)
    assert draft.draft_step == "municipality"
    bot_api.calls.clear()


async def test_an_unknown_word_among_themes_is_asked_again(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    for text in ("/nieuw", "Moestuin De Zon", "Samen tuinieren in de wijk, elke zaterdag."):
        await feed(message_update(anna, text))
    await feed(message_update(anna, "wonen en voetbal"))
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and list(draft.themes) == [] and draft.draft_step == "themes"
    assert bot_api.calls[-1].text == "Tik op minstens één thema."  # type: ignore[union-attr]
    bot_api.calls.clear()


async def test_the_inviter_hears_who_joined(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    await feed(callback_update(anna, InitiativeCallback(action="invite", id=ident).pack()))
    token = (await repo.session.execute(select(InitiativeInvite.token))).scalars().one()
    await repo.session.commit()
    bot_api.calls.clear()

    bob = make_user(first_name="Bob", language_code="nl")
    await feed(message_update(bob, f"/start inv_{token}"))
    bot_api.take(SendMessage)  # Bob's welcome
    (joined,) = await outbox_rows(repo, "initiative.member_joined")
    assert joined.recipient_id == anna.id
    shown = await render(repo, joined, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "👋 Bob doet nu mee met <b>Repair Café Lombok</b> via jouw uitnodiging. Kijk bij /mijn."
    )
    shown = await render(repo, joined, settings, clock.now(), "en")
    assert shown is not None
    assert shown.text == (
        "👋 Bob joined <b>Repair Café Lombok</b> through your invitation. See /mine."
    )


async def test_done_under_help_offers_says_what_was_saved(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    await feed(message_update(anna, "/helpen"))
    picker = bot_api.take(SendMessage)
    assert button_rows(picker.reply_markup)[-1] == ["✅ Klaar"]
    await feed(callback_update(anna, PeerCallback(action="offer", id=ident, value="wonen").pack()))
    bot_api.take(AnswerCallbackQuery), bot_api.take(EditMessageText)
    await feed(callback_update(anna, PeerCallback(action=PeerAction.OFFERS_DONE, id=ident).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "✅ Opgeslagen. <b>Repair Café Lombok</b> beantwoordt vragen van anderen over: Wonen. "
        "Je kunt het altijd aanpassen met /helpen."
    )

    emma = make_user(language_code="en")
    await add_person(repo, emma, clock.now())
    other = (await add_initiative(repo, clock.now(), name="Taalcafé", owners=(emma.id,))).id
    await feed(callback_update(emma, PeerCallback(action=PeerAction.OFFERS_DONE, id=other).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "✅ Saved. <b>Taalcafé</b> doesn't answer questions from others for now. "
        "Change it any time with /help_others."
    )


def _last_row(call: Any) -> list[str]:
    return [button.text for button in call.reply_markup.inline_keyboard[-1]]


async def test_declining_a_request_to_join_is_confirmed_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    piet = make_user(first_name="Piet", language_code="nl")
    for person in (anna, piet):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    await invites.request_join(repo, ident, piet.id, now=clock.now())
    request = await repo.initiatives.join_request(initiative_id=ident, user_id=piet.id)
    assert request is not None
    request_id = request.id
    await repo.session.commit()

    accept = JoinRequestCallback(request_id=request_id, accept=True).pack()
    decline = JoinRequestCallback(request_id=request_id, accept=False).pack()
    decision = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="✅ Accepteren", callback_data=accept),
                InlineKeyboardButton(text="❌ Afwijzen", callback_data=decline),
            ]
        ]
    )
    request_message = make_message(anna, "Piet wil erbij", reply_markup=decision)
    await feed(callback_update(anna, decline, request_message))
    asked = bot_api.take(AnswerCallbackQuery)
    assert asked.text == "Weet je het zeker? Tik op “Ja, afwijzen” om door te gaan."
    with_question = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert button_rows(with_question) == [
        ["✅ Accepteren", "❌ Afwijzen"],
        ["Ja, afwijzen", "Nee, toch niet"],
    ]
    request = await repo.initiatives.join_request(request_id)
    assert request is not None and request.decided_at is None
    await repo.session.commit()

    asking = make_message(anna, "Piet wil erbij", reply_markup=with_question)
    await feed(callback_update(anna, ConfirmCallback().pack(), asking))
    assert bot_api.take(AnswerCallbackQuery).text == "Oké, er is niets veranderd."
    restored = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert button_rows(restored) == [["✅ Accepteren", "❌ Afwijzen"]]

    sure = JoinRequestCallback(request_id=request_id, accept=False, sure=True).pack()
    await feed(callback_update(anna, sure))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "Je hebt het verzoek voor <b>Repair Café Lombok</b> afgewezen."
    )
    request = await repo.initiatives.join_request(request_id)
    assert request is not None and request.decided_at is not None


async def test_taking_a_profile_offline_is_confirmed_first_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(language_code="en")
    await add_person(repo, emma, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(emma.id,))).id
    await feed(callback_update(emma, InitiativeCallback(action="unpub", id=ident).pack()))
    asked = bot_api.take(AnswerCallbackQuery)
    assert asked.text == "Are you sure? Tap “Yes, take it offline” to go ahead."
    assert _last_row(bot_api.take(EditMessageReplyMarkup)) == [
        "Yes, take it offline",
        "No, never mind",
    ]
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "published"
    await repo.session.commit()

    confirmed = InitiativeCallback(action=InitiativeAction.UNPUBLISH_CONFIRMED, id=ident).pack()
    await feed(callback_update(emma, confirmed))
    assert bot_api.take(AnswerCallbackQuery).text == "Taken offline."
    assert "Not published" in bot_api.take(EditMessageText).text
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "draft"


async def _thread(repo: Repo, clock: FakeClock, settings: Settings) -> tuple[Any, Any, Any, int]:
    anna = make_user(first_name="Anna", language_code="nl")
    emma = make_user(first_name="Emma", language_code="en")
    bas = make_user(first_name="Bas", language_code="nl")
    for person in (anna, emma, bas):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(emma.id, bas.id))).id
    thread, _initiative = await intro.start_thread(
        repo, ident, anna.id, "Mogen wij jullie gereedschap lenen?", now=clock.now(),
        tz=settings.tz,
    )  # fmt: skip
    return anna, emma, bas, thread.id


async def test_reporting_and_blocking_are_confirmed_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, emma, _bas, thread_id = await _thread(repo, clock, settings)
    await feed(callback_update(emma, IntroCallback(action=IntroAction.BLOCK, id=thread_id).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == ("Are you sure? Tap “Yes, block” to go ahead.")
    bot_api.take(EditMessageReplyMarkup)
    blocks = (await repo.session.execute(select(SenderBlock))).scalars().all()
    assert blocks == []
    await repo.session.commit()
    await feed(callback_update(anna, IntroCallback(action=IntroAction.REPORT, id=thread_id).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Weet je het zeker? Tik op “Ja, melden” om door te gaan."
    )
    bot_api.take(EditMessageReplyMarkup)
    assert await outbox_rows(repo, "intro.report") == []

    sure = IntroCallback(action=IntroAction.REPORT, id=thread_id, sure=True).pack()
    await feed(callback_update(anna, sure))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text.startswith("Dank je wel. De coördinatoren kijken")


async def test_the_daily_limit_is_told_before_writing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    targets = []
    for number in range(intro.DAILY_INTRODUCTIONS + 1):
        owner = make_user(language_code="nl")
        await add_person(repo, owner, clock.now())
        targets.append(
            (await add_initiative(repo, clock.now(), name=f"Tuin {number}", owners=(owner.id,))).id
        )
    for ident in targets[:-1]:
        await intro.start_thread(
            repo, ident, anna.id, "Hallo, mogen we langskomen?", now=clock.now(), tz=settings.tz
        )
    await feed(
        callback_update(anna, IntroCallback(action=IntroAction.START, id=targets[-1]).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    refused = bot_api.take(SendMessage)
    assert refused.text.startswith("Je zit aan het maximum van 5 voor vandaag.")
    assert button_rows(refused.reply_markup) == [["☰ Menu"]]
    assert await outbox_rows(repo, "intro.request") != []
    await feed(message_update(anna, "Dit bericht zou anders verloren gaan."))
    assert bot_api.take(SendMessage).text.startswith("🔎 Ik zocht naar")  # no writing step


async def test_co_members_see_that_a_colleague_answered(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    _anna, emma, bas, thread_id = await _thread(repo, clock, settings)
    await intro.reply(
        repo, thread_id, emma.id, "Natuurlijk, kom zaterdag langs.", now=clock.now(), tz=settings.tz
    )
    (told,) = await outbox_rows(repo, "intro.answered")
    assert told.recipient_id == bas.id
    shown = await render(repo, told, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "✅ Emma heeft het bericht aan <b>Repair Café Lombok</b> al beantwoord:\n"
        "<blockquote>Natuurlijk, kom zaterdag langs.</blockquote>"
    )
    await intro.reply(
        repo, thread_id, bas.id, "En neem koffie mee!", now=clock.now(), tz=settings.tz
    )
    assert len(await outbox_rows(repo, "intro.answered")) == 1  # only the first answer


async def test_possibly_outdated_shows_in_result_lists_too(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    """And goes from the list as soon as a member says the profile is still right."""
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    clock.advance(timedelta(days=400))
    await feed(message_update(make_user(language_code="nl"), "/zoek repareren"))
    assert "1. <b>Repair Café Lombok</b> — Utrecht · West · ⚠️ misschien verouderd" in (
        bot_api.take(SendMessage).text
    )
    await feed(message_update(make_user(language_code="en"), "/search repair"))
    assert "— Utrecht · West · ⚠️ possibly outdated" in bot_api.take(SendMessage).text
    await confirm_fresh(repo, ident, anna.id, now=clock.now())
    await feed(message_update(make_user(language_code="nl"), "/zoek repareren"))
    assert "1. <b>Repair Café Lombok</b> — Utrecht · West\n" in bot_api.take(SendMessage).text


async def test_an_imported_initiatives_question_goes_to_the_coordinators_with_a_claim_link(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings,
    bot: Bot,
) -> None:  # fmt: skip
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await add_person(repo, kees, clock.now())
    async with repo.write():
        stored = await repo.users.get(kees.id)
        assert stored is not None
        stored.role = Role.COORDINATOR
    ident = (await add_initiative(repo, clock.now(), name="Buurthuis De Linde")).id
    clock.advance(timedelta(days=200))

    await schedule_freshness_nudges(repo, now=clock.now())
    await schedule_freshness_nudges(repo, now=clock.now() + timedelta(days=1))  # asked once
    (asked,) = await outbox_rows(repo, "initiative.freshness_unclaimed")
    assert asked.recipient_id == kees.id
    shown = await render(repo, asked, settings, clock.now(), "nl", bot)
    assert shown is not None
    token = asked.params["token"]
    assert shown.text.startswith(
        "<b>Klopt dit nog?</b> Niemand van <b>Buurthuis De Linde</b> gebruikt Samenspel nog, "
        "dus ik kan het hun niet vragen. Stuur ze deze link door: wie hem opent, kan het "
        "profiel zelf bijhouden en krijgt deze vraag voortaan zelf.\n"
        f"https://t.me/samenspel_test_bot?start=inv_{token}\n\n<b>Buurthuis De Linde</b>"
    )
    bot_api.calls.clear()

    linde = make_user(first_name="Lotte", language_code="nl")
    await feed(message_update(linde, f"/start inv_{token}"))
    bot_api.take(SendMessage)
    member = await repo.initiatives.member(ident, linde.id)
    assert member is not None and member.role == "owner"
    await repo.session.commit()
    (asked,) = await outbox_rows(repo, "initiative.freshness_unclaimed")
    assert await render(repo, asked, settings, clock.now(), "nl", bot) is None  # claimed


async def test_co_members_see_that_a_colleague_answered_a_question(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    emma = make_user(first_name="Emma", language_code="en")
    bas = make_user(first_name="Bas", language_code="nl")
    for person in (anna, emma, bas):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(emma.id, bas.id))).id
    await help_offers.toggle_offer(repo, ident, emma.id, "duurzaamheid", now=clock.now())
    question, count = await peers.ask(
        repo,
        anna.id,
        "duurzaamheid",
        "Hoe regelen jullie de verzekering?",
        now=clock.now(),
        tz=settings.tz,
    )
    assert count == 2
    await peers.answer(
        repo, question.id, emma.id, "Via de gemeente, heel makkelijk.", now=clock.now()
    )
    (told,) = await outbox_rows(repo, "peer.answered_by_colleague")
    assert told.recipient_id == bas.id
    shown = await render(repo, told, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "✅ Emma van <b>Repair Café Lombok</b> heeft de vraag over Duurzaamheid al beantwoord. "
        "Je hoeft niets te doen.\n<blockquote>Via de gemeente, heel makkelijk.</blockquote>"
    )
