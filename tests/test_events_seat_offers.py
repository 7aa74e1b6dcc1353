"""Seats that don't go to waste close to the start: within 48 hours a freed seat is offered to
everyone on the waitlist at once, the first yes wins (also when they tap at the same moment),
and the others hear that it has gone. Earlier, the first on the waitlist gets it as before."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.services.events.registrations import SeatGoneError, sign_up, take_seat
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import make_event, make_people, registration_of
from tests.facilitation_support import deliver, sender_for
from tests.factories import callback_update, make_user
from tests.mocked_bot import MockedBotAPI, button_rows


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, action: str, event_id: int) -> str:
    """Tap a button of an event; the answer under the tap (the card it edits is left out)."""
    await feed(callback_update(who, EventCallback(action=action, event_id=event_id).pack()))
    calls = bot_api.take_all()
    answers = [call for call in calls if isinstance(call, AnswerCallbackQuery)]
    assert len(answers) == 1, calls
    bot_api.calls.extend(call for call in calls if not isinstance(call, AnswerCallbackQuery))
    return answers[0].text or ""


async def test_a_seat_freed_close_to_the_start_is_offered_to_everyone_waiting(
    feed: Feeder,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    session_pool: SessionPool,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    event_id = (
        await make_event(repo, clock, capacity=1, starts_at=clock.now() + timedelta(hours=30))
    ).id
    anna = make_user(first_name="Anna", language_code="nl")
    waiting = [
        make_user(first_name="Bert", language_code="nl"),
        make_user(first_name="Carla", language_code="en"),
        make_user(first_name="Daan", language_code="nl"),
    ]
    for person in (anna, *waiting):
        await _tap(feed, bot_api, person, EventAction.JOIN, event_id)
    told = [c.text for c in bot_api.take_all() if isinstance(c, SendMessage)]
    assert told[-2] == (
        "⏳ Je staat op plek 3 van de wachtlijst voor <b>Samen aan tafel</b>. Komt er een plek "
        "vrij, dan hoort iedereen op de wachtlijst het tegelijk: wie het eerst ja zegt, krijgt "
        "de plek."
    )
    await _tap(feed, bot_api, anna, EventAction.LEAVE_CONFIRMED, event_id)
    bot_api.take_all()
    # Nobody was moved up: the seat is offered to all three at once.
    assert await registration_of(repo, event_id, waiting[0].id) == ("waitlisted", 1, False)
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    offers = await deliver(sender, bot_api, 3)
    assert [offer.chat_id for offer in offers] == [person.id for person in waiting]
    assert offers[0].text == (
        "🪑 Er is een plek vrij bij <b>Samen aan tafel</b>. Wil je hem?\n"
        f"📅 {offers[0].text.split('📅 ')[1].split(chr(10))[0]}\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Iedereen op de wachtlijst krijgt dit bericht: wie het eerst ja zegt, krijgt de plek."
    )
    assert button_rows(offers[0].reply_markup) == [["✅ Ja, ik kom"]]
    assert offers[1].text.startswith("🪑 A seat is free at <b>Samen aan tafel</b>. Do you want it?")
    assert button_rows(offers[1].reply_markup) == [["✅ Yes, I'll come"]]

    # Carla (third in line) says yes first and gets it; Bert is too late.
    assert await _tap(feed, bot_api, waiting[1], EventAction.TAKE, event_id) == (
        "The seat is yours! See you there."
    )
    assert "You are signed up." in (bot_api.take(EditMessageText).text or "")
    assert await _tap(feed, bot_api, waiting[0], EventAction.TAKE, event_id) == (
        "Helaas, iemand was je net voor. Je blijft op de wachtlijst."
    )
    bot_api.take(EditMessageText)
    assert await registration_of(repo, event_id, waiting[1].id) == ("confirmed", None, False)
    assert await registration_of(repo, event_id, waiting[0].id) == ("waitlisted", 1, False)
    assert await registration_of(repo, event_id, waiting[2].id) == ("waitlisted", 2, False)
    gone = await deliver(sender, bot_api, 2)  # Bert and Daan hear the seat has gone
    assert [message.chat_id for message in gone] == [waiting[0].id, waiting[2].id]
    assert gone[1].text == (
        "De vrije plek bij <b>Samen aan tafel</b> is al genomen door iemand die eerder ja zei. "
        "Je staat nog op de wachtlijst (nummer 2)."
    )
    # Carla now has her reminders like anyone with a seat.
    await deliver(sender, bot_api, 0)


async def test_earlier_than_48_hours_the_first_in_line_still_gets_the_seat(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (
        await make_event(repo, clock, capacity=1, starts_at=clock.now() + timedelta(hours=50))
    ).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bert):
        await _tap(feed, bot_api, person, EventAction.JOIN, event_id)
    bot_api.take_all()
    await _tap(feed, bot_api, anna, EventAction.LEAVE_CONFIRMED, event_id)
    bot_api.take_all()
    assert await registration_of(repo, event_id, bert.id) == ("confirmed", None, False)


async def test_simultaneous_yeses_exactly_one_wins(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    event = await make_event(repo, clock, capacity=2, starts_at=clock.now() + timedelta(hours=20))
    event_id = event.id
    people = await make_people(repo, clock, 8, 7100)
    for person in people:
        await sign_up(repo, event_id, person, now=clock.now())
    from bot.services.events.registrations import cancel

    await cancel(repo, event_id, people[0], now=clock.now())  # one seat free, six waiting

    async def yes(person: int) -> str:
        async with session_pool() as session:
            try:
                await take_seat(Repo(session), event_id, person, now=clock.now())
            except SeatGoneError:
                return "gone"
            return "won"

    results = await asyncio.gather(*(yes(person) for person in people[2:]))
    assert sorted(results) == ["gone"] * 5 + ["won"]
    seats = await repo.registrations.seats_taken(event_id)
    await repo.session.commit()
    assert seats == 2
    rows = [await registration_of(repo, event_id, person) for person in people[2:]]
    assert sorted(position for _status, position, _late in rows if position) == [1, 2, 3, 4, 5]


async def test_nobody_left_to_take_it_after_a_no_to_kom_je_nog(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, dispatcher: Dispatcher
) -> None:
    """A seat given back with "Nee" to "Kom je nog?" (48 hours before) is an offer too."""
    event_id = (
        await make_event(repo, clock, capacity=1, starts_at=clock.now() + timedelta(hours=47))
    ).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bert):
        await _tap(feed, bot_api, person, EventAction.JOIN, event_id)
    bot_api.take_all()
    await _tap(feed, bot_api, anna, EventAction.LEAVE_CONFIRMED, event_id)
    bot_api.take_all()
    assert await registration_of(repo, event_id, bert.id) == ("waitlisted", 1, False)
    assert await _tap(feed, bot_api, bert, EventAction.TAKE, event_id) == (
        "De plek is van jou! Tot dan."
    )
    bot_api.take(EditMessageText)
    assert await registration_of(repo, event_id, bert.id) == ("confirmed", None, False)
    # A second tap on an old offer changes nothing.
    await _tap(feed, bot_api, bert, EventAction.TAKE, event_id)
    bot_api.take(EditMessageText)
    assert not [call for call in bot_api.take_all() if isinstance(call, SendMessage)]
