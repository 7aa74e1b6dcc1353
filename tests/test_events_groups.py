"""Group sign-up through the real Dispatcher: a parent, teacher or initiative signs up more
than one person in one registration. A group takes as many seats as it brings (within the
capacity and the event's own limit), waits as one group in one place and is never split; the
coordinator sees it as such, and the figures count its people."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventFormCallback,
    EventPartyCallback,
)
from storage.models import Registration
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import START_DEFAULT, make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


def _event(action: str, event_id: int) -> str:
    return EventCallback(action=action, event_id=event_id).pack()


def _people(event_id: int, people: int) -> str:
    return EventPartyCallback(event_id=event_id, people=people).pack()


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, data: str) -> tuple[str, list[Any]]:
    """Tap a button: the answer under the tap, and what else the bot did."""
    await feed(callback_update(who, data))
    calls = bot_api.take_all()
    answers = [call for call in calls if isinstance(call, AnswerCallbackQuery)]
    assert len(answers) == 1, calls
    return answers[0].text or "", [call for call in calls if call is not answers[0]]


async def _places(repo: Repo, event_id: int) -> dict[int, tuple[str, int | None, int]]:
    """Per person: (status, waitlist position, people)."""
    result = await repo.session.execute(
        select(Registration).where(Registration.event_id == event_id)
    )
    found = {
        row.user_id: (str(row.status), row.waitlist_position, row.party_size)
        for row in result.scalars()
    }
    await repo.session.commit()
    return found


async def test_a_parent_signs_up_with_her_children_in_two_taps(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=10)).id
    fatima = make_user(first_name="Fatima", language_code="nl")
    await feed(message_update(fatima, f"/start e_{event_id}"))
    card = bot_api.take_all()[-1]
    assert button_rows(card.reply_markup)[:2] == [
        ["✅ Aanmelden"],
        ["👥 Aanmelden met meer personen"],
    ]

    answer, calls = await _tap(feed, bot_api, fatima, _event(EventAction.GROUP, event_id))
    (question,) = calls
    assert isinstance(question, SendMessage)
    assert question.text == (
        "Met hoeveel personen kom je? Jij telt zelf mee. Een groep zit altijd samen, of wacht "
        "samen op de wachtlijst."
    )
    assert button_rows(question.reply_markup) == [["1", "2", "3", "4"], ["◀ Terug"]]

    answer, calls = await _tap(feed, bot_api, fatima, _people(event_id, 4))
    assert answer == "Je bent aangemeld met 4 personen! Tot dan."
    shown, _questions = calls
    assert isinstance(shown, EditMessageText)
    assert "✅ nog 6 plekken" in (shown.text or "")
    assert (shown.text or "").endswith("✅ Je bent aangemeld met 4 personen.")
    assert ["👥 Aantal personen wijzigen"] in button_rows(shown.reply_markup)
    assert (await _places(repo, event_id))[fatima.id] == ("confirmed", None, 4)

    # Again: the picker marks the current number; fewer people give seats back.
    answer, calls = await _tap(feed, bot_api, fatima, _event(EventAction.GROUP, event_id))
    assert button_rows(calls[0].reply_markup)[0] == ["1", "2", "3", "✓ 4"]
    answer, calls = await _tap(feed, bot_api, fatima, _people(event_id, 2))
    assert answer == "Gewijzigd: je aanmelding is nu voor 2 personen."
    assert "✅ nog 8 plekken" in (calls[0].text or "")
    await feed(message_update(fatima, "/mijnagenda"))
    assert "✅ aangemeld · 2 personen" in (bot_api.take(SendMessage).text or "")


async def test_a_group_waits_together_and_is_never_split_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=4)).id
    anna, bert, carla = (make_user(first_name=n, language_code="nl") for n in "ABC")
    family = make_user(first_name="Emma", language_code="en")
    dirk = make_user(first_name="Dirk", language_code="nl")
    await _tap(feed, bot_api, anna, _event(EventAction.JOIN, event_id))
    await _tap(feed, bot_api, bert, _event(EventAction.JOIN, event_id))
    await _tap(feed, bot_api, carla, _people(event_id, 2))  # full now

    answer, calls = await _tap(feed, bot_api, family, _people(event_id, 3))
    assert answer == "Full is full: you are number 1 on the waitlist."
    card, told, _questions = calls
    assert (card.text or "").endswith("⏳ You are on the waitlist with 3 people: number 1.")
    assert told.text == (
        "⏳ You are number 1 on the waitlist for <b>Samen aan tafel</b>, as a group. As soon "
        "as there are seats for all of you, they are yours and I'll let you know."
    )
    await _tap(feed, bot_api, dirk, _event(EventAction.JOIN, event_id))

    # One seat frees up: the family of three doesn't fit and keeps its place; Dirk fits.
    await _tap(feed, bot_api, anna, _event(EventAction.LEAVE_CONFIRMED, event_id))
    places = await _places(repo, event_id)
    assert places[family.id] == ("waitlisted", 1, 3)
    assert places[dirk.id] == ("confirmed", None, 1)
    # Two more free up: three seats, so the family sits together.
    await _tap(feed, bot_api, carla, _event(EventAction.LEAVE_CONFIRMED, event_id))
    assert (await _places(repo, event_id))[family.id] == ("waitlisted", 1, 3)
    await _tap(feed, bot_api, bert, _event(EventAction.LEAVE_CONFIRMED, event_id))
    assert (await _places(repo, event_id))[family.id] == ("confirmed", None, 3)

    # More people than are free: refused with the number of seats, nothing changes.
    answer, _calls = await _tap(feed, bot_api, family, _people(event_id, 4))
    assert answer == (
        "There is no free seat for more people. To come with more, cancel and sign up again: "
        "the whole group then waits together on the waitlist."
    )
    assert (await _places(repo, event_id))[family.id] == ("confirmed", None, 3)


async def test_the_events_own_limit_holds_and_a_coordinator_can_change_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=30)).id
    teacher = make_user(first_name="Ingrid", language_code="nl")
    answer, _calls = await _tap(feed, bot_api, teacher, _people(event_id, 25))  # a forged number
    assert answer == "Hier kan één aanmelding voor hoogstens 4 personen zijn."
    assert teacher.id not in await _places(repo, event_id)

    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, f"/wijzig {event_id}"))
    bot_api.take_all()

    await feed(
        callback_update(kees, EventFormCallback(field="edit", value=f"party-{event_id}").pack())
    )
    question = [c for c in bot_api.take_all() if isinstance(c, SendMessage)][-1]
    assert question.text == (
        "Nu: tot 4 personen per aanmelding.\n"
        "Hoeveel personen mag één aanmelding meenemen? Wie zich aanmeldt telt mee. Typ een "
        "getal: <code>1</code> voor één persoon per aanmelding, <code>30</code> voor een "
        "schoolklas.\nOf /stop om het te laten zoals het is."
    )
    await feed(message_update(kees, "99"))
    assert bot_api.take(SendMessage).text == "Typ een heel getal van 1 tot en met 40."
    await feed(message_update(kees, "30"))
    assert bot_api.take_all()[0].text == "Gewijzigd."

    answer, _calls = await _tap(feed, bot_api, teacher, _people(event_id, 25))
    assert answer == "Je bent aangemeld met 25 personen! Tot dan."

    # The coordinator sees the class as one line with its size, and the seats it takes.
    await feed(message_update(kees, f"/deelnemers {event_id}"))
    listing = bot_api.take(SendMessage).text or ""
    assert "Aangemeld (25 van 30):\n1. Ingrid (+24)" in listing


async def test_simultaneous_group_sign_ups_never_overbook(
    dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=10)).id
    await repo.session.commit()
    groups = [make_user(language_code="nl") for _ in range(12)]
    sizes = [1 + number % 4 for number in range(12)]  # 1, 2, 3, 4, 1, 2, …

    await asyncio.gather(
        *(
            dispatcher.feed_update(bot, callback_update(person, _people(event_id, size)))
            for person, size in zip(groups, sizes, strict=True)
        )
    )

    bot_api.take_all()
    places = await _places(repo, event_id)
    seated = sum(people for status, _position, people in places.values() if status == "confirmed")
    positions = sorted(p for status, p, _people in places.values() if status == "waitlisted")
    assert seated <= 10
    assert positions == list(range(1, len(positions) + 1))
    assert len(places) == 12
    # Nobody waits who would have fitted in the seats that are left.
    left = 10 - seated
    assert all(people > left for status, _p, people in places.values() if status == "waitlisted")


async def test_the_figures_count_the_people_a_group_brings(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=10, starts_at=START_DEFAULT)).id
    await _tap(feed, bot_api, make_user(language_code="nl"), _people(event_id, 3))
    await _tap(feed, bot_api, make_user(language_code="nl"), _event(EventAction.JOIN, event_id))
    async with repo.read():
        counts = await repo.registrations.counts([event_id])
        by_status = await repo.stats.registrations_by_status(
            START_DEFAULT.replace(day=1), START_DEFAULT.replace(day=28)
        )
        participants = await repo.stats.participants(
            START_DEFAULT.replace(day=1), START_DEFAULT.replace(day=28)
        )
    assert counts[event_id] == (4, 0)
    assert by_status == {"confirmed": 4}
    assert participants == 4
