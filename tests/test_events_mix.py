"""Diversity at the table, through the real Dispatcher: two optional questions after a sign-up
(age group, neighbourhood or village; an earlier answer offered again), the table's mix for the
coordinator as counts only, and seats reserved for an age group or for people from outside
the table's neighbourhood until two days before the start. Erasure and retention clear the
answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventFormCallback,
    EventPartyCallback,
    MixCallback,
)
from bot.services.events.seat_offers import pass_on_free_seats
from bot.services.privacy.personal_data import erase_user
from bot.services.privacy.retention import apply_retention
from storage.models import Registration
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows
from tests.event_helpers import make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

UTRECHT_PLACES = [
    ["Binnenstad", "Noordoost", "Oost"],
    ["Zuid", "Zuidwest", "West"],
    ["Noordwest", "Overvecht", "Leidsche Rijn"],
    ["Vleuten-De Meern", "Ergens anders in Utrecht", "Buiten Utrecht"],
    ["Overslaan"],
]


def _join(event_id: int) -> str:
    return EventCallback(action=EventAction.JOIN, event_id=event_id).pack()


def _do(action: str, event_id: int) -> str:
    return EventCallback(action=action, event_id=event_id).pack()


def _answer(event_id: int, question: str, value: str, join: int = 0) -> str:
    return MixCallback(event_id=event_id, q=question, v=value, join=join).pack()


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, data: str) -> tuple[str, list[Any]]:
    await feed(callback_update(who, data))
    calls = bot_api.take_all()
    answer = next(call for call in calls if isinstance(call, AnswerCallbackQuery))
    return answer.text or "", [call for call in calls if call is not answer]


async def _answers(repo: Repo, event_id: int) -> dict[int, tuple[str | None, str | None]]:
    result = await repo.session.execute(
        select(Registration).where(Registration.event_id == event_id)
    )
    found = {row.user_id: (row.age_group, row.neighbourhood) for row in result.scalars()}
    await repo.session.commit()
    return found


async def _card(feed: Feeder, bot_api: MockedBotAPI, event_id: int) -> str:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, f"/beheer {event_id}"))
    return [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)][-1] or ""


async def _reserve(feed: Feeder, bot_api: MockedBotAPI, event_id: int, typed: str) -> list[Any]:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, f"/wijzig {event_id}"))
    field = EventFormCallback(field="edit", value=f"reserved-{event_id}").pack()
    await feed(callback_update(kees, field))
    bot_api.take_all()
    await feed(message_update(kees, typed))
    return bot_api.take_all()


async def test_two_optional_questions_after_signing_up_counted_for_the_coordinator(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(first_name="Anna", language_code="nl")
    _text, calls = await _tap(feed, bot_api, anna, _join(event_id))
    question = calls[-1]
    assert isinstance(question, SendMessage)
    assert (question.text or "").endswith("Hoe oud ben je?")

    _text, calls = await _tap(feed, bot_api, anna, _answer(event_id, "a", "3"))
    (asked,) = calls
    assert isinstance(asked, EditMessageText)
    assert asked.text == "In welke wijk of welk dorp woon je?"
    assert button_rows(asked.reply_markup) == UTRECHT_PLACES
    _text, calls = await _tap(feed, bot_api, anna, _answer(event_id, "p", "7"))
    assert calls[0].text == "Dank je wel! 🙏"
    assert (await _answers(repo, event_id))[anna.id] == ("31-65", "Overvecht")

    # Bert skips both; Carla brings two more and answers only her age.
    bert = make_user(first_name="Bert", language_code="nl")
    await _tap(feed, bot_api, bert, _join(event_id))
    _text, calls = await _tap(feed, bot_api, bert, _answer(event_id, "a", "-"))
    assert calls[0].text == "In welke wijk of welk dorp woon je?"
    _text, calls = await _tap(feed, bot_api, bert, _answer(event_id, "p", "-"))
    assert calls[0].text == "Dank je wel! 🙏"
    carla = make_user(first_name="Carla", language_code="en")
    await _tap(feed, bot_api, carla, _do(EventAction.GROUP, event_id))
    await _tap(feed, bot_api, carla, EventPartyCallback(event_id=event_id, people=3).pack())
    await _tap(feed, bot_api, carla, _answer(event_id, "a", "4"))
    assert (await _answers(repo, event_id))[bert.id] == (None, None)

    card = await _card(feed, bot_api, event_id)
    assert "👥 Leeftijden: 31–65: 1 · 65+: 3 · onbekend: 1" in card
    assert "🏘 Woont in: Overvecht: 1 · onbekend: 4" in card
    assert "Anna" not in card and "Carla" not in card  # counts only

    # Next time the earlier answers are offered again, marked.
    in_three_weeks = clock.now() + timedelta(days=20)
    later = (await make_event(repo, clock, title="Later", starts_at=in_three_weeks)).id
    _text, calls = await _tap(feed, bot_api, anna, _join(later))
    assert button_rows(calls[-1].reply_markup)[0] == ["8–12", "13–17", "18–30", "✓ 31–65", "65+"]
    _text, calls = await _tap(feed, bot_api, anna, _answer(later, "a", "3"))
    assert "✓ Overvecht" in button_rows(calls[0].reply_markup)[2]

    # A forged answer changes nothing.
    answer, _calls = await _tap(feed, bot_api, anna, _answer(later, "a", "9"))
    assert answer == "Die knop hoort bij een eerdere stap. Er is niets veranderd."


async def test_seats_kept_for_young_people_until_two_days_before(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (
        await make_event(repo, clock, capacity=4, starts_at=clock.now() + timedelta(days=8))
    ).id
    told = await _reserve(feed, bot_api, event_id, "2 jongeren")
    assert told[0].text == "Gewijzigd."
    card = await _card(feed, bot_api, event_id)
    assert (
        "🔒 2 plekken zijn vrijgehouden voor jongeren tot 18 jaar, tot twee dagen voor de start."
        in card
    )
    assert "🔒 Vrijgehouden plekken nog niet bezet: 2" in card

    adults = [make_user(first_name=f"Volwassene {n}", language_code="nl") for n in range(2)]
    for adult in adults:
        answer, _calls = await _tap(feed, bot_api, adult, _join(event_id))
        assert answer == "Je bent aangemeld! Tot dan."
    # Only kept seats are left: whether they are for you is asked first.
    sanne = make_user(first_name="Sanne", language_code="nl")
    answer, calls = await _tap(feed, bot_api, sanne, _join(event_id))
    assert answer == ""
    (question,) = calls
    assert question.text == (
        "De laatste plekken bij <b>Samen aan tafel</b> zijn vrijgehouden voor jongeren tot 18 "
        "jaar. Hoe oud ben je? (We tellen alleen: niemand ziet jouw antwoord.)"
    )
    assert button_rows(question.reply_markup)[1] == ["Zeg ik liever niet"]
    assert sanne.id not in await _answers(repo, event_id)
    answer, _calls = await _tap(feed, bot_api, sanne, _answer(event_id, "a", "3", join=1))
    assert answer == "Vol = vol: je staat op plek 1 van de wachtlijst."
    tim = make_user(first_name="Tim", language_code="en")
    _text, calls = await _tap(feed, bot_api, tim, _join(event_id))
    assert calls[0].text == (
        "The last seats at <b>Samen aan tafel</b> are kept for young people under 18. How old "
        "are you? (Only counted: nobody sees your answer.)"
    )
    assert button_rows(calls[0].reply_markup) == [
        ["8–12", "13–17", "18–30", "31–65", "65+"],
        ["Rather not say"],
    ]
    answer, calls = await _tap(feed, bot_api, tim, _answer(event_id, "a", "1", join=1))
    assert answer == "You're signed up! See you there."
    # Someone who answered before isn't asked again: Sanne's earlier answer counts.
    other = (await make_event(repo, clock, capacity=1, title="Ander")).id
    await _reserve(feed, bot_api, other, "1 jongeren")
    answer, _calls = await _tap(feed, bot_api, sanne, _join(other))
    assert answer == "Vol = vol: je staat op plek 1 van de wachtlijst."

    # A kept seat given back stays kept: not for Sanne yet; …
    await _tap(feed, bot_api, tim, _do(EventAction.LEAVE_CONFIRMED, event_id))
    places = await _answers(repo, event_id)
    assert places[sanne.id] == ("31-65", None)
    result = await repo.session.execute(
        select(Registration.status).where(
            Registration.event_id == event_id, Registration.user_id == sanne.id
        )
    )
    assert result.scalar_one() == "waitlisted"
    await repo.session.commit()
    # … until two days before the start: then the seat is offered to the waitlist.
    clock.advance(timedelta(days=6, hours=1))
    assert await pass_on_free_seats(repo, now=clock.now()) == 1
    offers = [row.recipient_id for row in await outbox_rows(repo, "event.seat_offer")]
    assert offers == [sanne.id]
    answer, _calls = await _tap(feed, bot_api, sanne, _do(EventAction.TAKE, event_id))
    assert answer == "De plek is van jou! Tot dan."


async def test_seats_for_people_from_outside_the_neighbourhood(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=2)).id
    told = await _reserve(feed, bot_api, event_id, "1 buiten Atlantis")
    assert told[0].text.startswith("Dat begrijp ik niet. Typ het aantal plekken")
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "1 buiten Overvecht"))
    assert bot_api.take_all()[0].text == "Gewijzigd."

    await _tap(feed, bot_api, make_user(language_code="nl"), _join(event_id))
    buurman = make_user(first_name="Buurman", language_code="nl")
    _answer_text, calls = await _tap(feed, bot_api, buurman, _join(event_id))
    assert calls[0].text == (
        "De laatste plekken bij <b>Samen aan tafel</b> zijn vrijgehouden voor mensen van buiten "
        "Overvecht. Waar woon je? (We tellen alleen: niemand ziet jouw antwoord.)"
    )
    assert button_rows(calls[0].reply_markup) == [*UTRECHT_PLACES[:-1], ["Zeg ik liever niet"]]
    answer, _calls = await _tap(feed, bot_api, buurman, _answer(event_id, "p", "7", join=1))
    assert answer == "Vol = vol: je staat op plek 1 van de wachtlijst."
    zeist = make_user(first_name="Uit Zeist", language_code="nl")
    await _tap(feed, bot_api, zeist, _join(event_id))
    answer, _calls = await _tap(feed, bot_api, zeist, _answer(event_id, "p", "e", join=1))
    assert answer == "Je bent aangemeld! Tot dan."


async def test_erasure_and_retention_clear_the_answers(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bert):
        await _tap(feed, bot_api, person, _join(event_id))
        await _tap(feed, bot_api, person, _answer(event_id, "a", "1"))
        await _tap(feed, bot_api, person, _answer(event_id, "p", "2"))
    clock.advance(timedelta(days=10))  # the table is over
    await erase_user(repo, anna.id, now=clock.now())
    result = await repo.session.execute(
        select(Registration.user_id, Registration.age_group, Registration.neighbourhood).where(
            Registration.event_id == event_id
        )
    )
    assert sorted(result.all(), key=str) == sorted(
        [(None, None, None), (bert.id, "13-17", "Oost")], key=str
    )
    await repo.session.commit()
    await apply_retention(repo, now=clock.now() + timedelta(days=400), days=365)
    assert await _answers(repo, event_id) == {None: (None, None)}
