"""Availability polling that fills the rota, through the real Dispatcher: once a month the
facilitators tick the days of next month's tables that still need someone; the answers propose
a rota (certificates, other tables at that time, monthly maximum, preferences, the work spread)
that a coordinator sends in one tap as the usual requests; twice, or by two at once, asks
nobody twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import PollCallback, RotaCallback
from bot.services.facilitation import availability, rota
from bot.services.privacy.retention import apply_retention
from storage.models import Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows, render
from tests.facilitation_support import (
    EMMA,
    FATIMA,
    PIET,
    SARA,
    add_person,
    requests_of,
    table,
    team,
    tg_user,
)
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

APRIL = "2604"  # the clock says 2 March 2026: next month


def _evening(day: int) -> datetime:
    """19:30 in Amsterdam (summer time) on that day of April 2026."""
    return datetime(2026, 4, day, 17, 30, tzinfo=UTC)


async def _april(repo: Repo, clock: FakeClock) -> dict[str, int]:
    """Five tables of April that need someone; one for Kinder-facilitators, one for two."""
    tables = {
        "utrecht": await table(repo, clock, title="Utrecht", starts_at=_evening(7)),
        "amersfoort": await table(
            repo, clock, title="Amersfoort", municipality="Amersfoort", starts_at=_evening(7)
        ),
        "zeist": await table(
            repo, clock, title="Zeist", municipality="Zeist", starts_at=_evening(9)
        ),
        "kinder": await table(repo, clock, title="Kinderen", starts_at=_evening(14)),
        "laat": await table(repo, clock, title="Laat", starts_at=_evening(21)),
    }
    async with repo.write():
        tables["zeist"].facilitators_needed = 2
        tables["kinder"].facilitator_level = "kinder"
    return {name: event.id for name, event in tables.items()}


async def _say_days(
    repo: Repo, clock: FakeClock, settings: Settings, person: int, *days: int
) -> None:
    for day in days:
        await rota.set_day(
            repo, person, APRIL, date(2026, 4, day), True, now=clock.now(), tz=settings.tz
        )


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: int, data: str) -> tuple[str, list[Any]]:
    await feed(callback_update(tg_user(who), data))
    calls = bot_api.take_all()
    answer = next(call for call in calls if isinstance(call, AnswerCallbackQuery))
    return answer.text or "", [call for call in calls if call is not answer]


async def test_facilitators_tick_the_days_of_next_months_tables(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await team(repo, clock)
    await _april(repo, clock)
    await table(repo, clock, title="Maart", starts_at=datetime(2026, 3, 24, 18, 30, tzinfo=UTC))

    assert await rota.send_polls(repo, now=clock.now(), tz=settings.tz) == 4
    assert await rota.send_polls(repo, now=clock.now(), tz=settings.tz) == 0  # once a month
    polls = {row.recipient_id: row for row in await outbox_rows(repo, rota.POLL)}
    assert sorted(polls) == [FATIMA, PIET, SARA, EMMA]  # not the coordinator: no certificate
    shown = await render(repo, polls[FATIMA], settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "🗓 <b>Op welke dagen in april 2026 kun je een tafel begeleiden?</b>\n\n"
        "Dit zijn de dagen van de tafels die nog iemand nodig hebben. Tik alle dagen aan die "
        "jou passen, en dan op Klaar. Je belooft hiermee nog niets: de coördinatoren vragen je "
        "per tafel, en je antwoordt zoals altijd."
    )
    assert button_rows(shown.reply_markup) == [
        ["di 7 apr", "do 9 apr", "di 14 apr"],
        ["di 21 apr"],
        ["✅ Klaar"],
    ]

    tuesday = PollCallback(month=APRIL, day="260407", on=True).pack()
    _answer, calls = await _tap(feed, bot_api, FATIMA, tuesday)
    (edited,) = calls
    assert isinstance(edited, EditMessageReplyMarkup)
    assert button_rows(edited.reply_markup)[0] == ["✓ di 7 apr", "do 9 apr", "di 14 apr"]
    await _tap(feed, bot_api, FATIMA, PollCallback(month=APRIL, day="260409", on=True).pack())
    await _tap(feed, bot_api, FATIMA, tuesday)  # twice is harmless
    _answer, calls = await _tap(feed, bot_api, FATIMA, PollCallback(month=APRIL).pack())
    (done,) = calls
    assert isinstance(done, EditMessageText)
    assert done.text == (
        "Dank je wel! In april 2026 kun je op 2 dagen een tafel begeleiden: di 7 apr, do 9 apr. "
        "De coördinatoren maken een rooster en vragen je dan per tafel. Hieronder kun je het "
        "nog aanpassen."
    )
    assert await repo.facilitators.available_days(FATIMA, date(2026, 4, 1), date(2026, 5, 1)) == {
        date(2026, 4, 7),
        date(2026, 4, 9),
    }
    await repo.session.commit()

    # A day without a table that needs someone (a forged button) changes nothing.
    answer, _calls = await _tap(
        feed, bot_api, FATIMA, PollCallback(month=APRIL, day="260408", on=True).pack()
    )
    assert answer == "Geen tafel op die dag heeft nog een begeleider nodig. Er is niets veranderd."
    # In English, nothing ticked; and a resident can't answer a poll.
    _answer, calls = await _tap(feed, bot_api, EMMA, PollCallback(month=APRIL).pack())
    assert calls[0].text == (
        "Thanks for letting us know. In April 2026 none of these days suit you, and that is "
        "fine. You can still change it below."
    )
    await feed(callback_update(make_user(language_code="nl"), tuesday))
    assert bot_api.take(AnswerCallbackQuery).text == "Sorry, dit is alleen voor dialoogbegeleiders."


async def test_the_answers_propose_a_fair_rota_that_one_tap_sends(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await team(repo, clock)
    ids = await _april(repo, clock)
    await _say_days(repo, clock, settings, FATIMA, 7, 9)
    await _say_days(repo, clock, settings, PIET, 7, 9, 14)
    await _say_days(repo, clock, settings, SARA, 9, 14)
    await _say_days(repo, clock, settings, EMMA, 7)
    await availability.set_preference(repo, PIET, "places", "Utrecht", now=clock.now())
    await availability.set_preference(repo, FATIMA, "max", "1", now=clock.now())
    await availability.add_period(repo, EMMA, "6-4 tot 8-4", now=clock.now(), tz=settings.tz)

    await feed(message_update(tg_user(COORDINATOR_ID), "/rooster"))
    proposal = bot_api.take(SendMessage)
    assert proposal.text == (
        "🧑‍🏫 <b>Voorstel voor het rooster van april 2026</b>\n\n"
        "1. di 7 apr, 19:30 · Utrecht (Utrecht)\n"
        "    → Piet\n"  # he likes Utrecht
        "2. di 7 apr, 19:30 · Amersfoort (Amersfoort)\n"
        "    → Fatima\n"  # Piet is at the other table then, Emma is away
        "3. do 9 apr, 19:30 · Zeist (Zeist)\n"
        "    → Sara, Piet\n"  # Fatima's maximum is one a month
        "4. di 14 apr, 19:30 · Kinderen (Utrecht)\n"
        "    → Sara\n"  # only she holds Kinder
        "5. di 21 apr, 19:30 · Laat (Utrecht)\n"
        "    → 1 plek: niemand beschikbaar\n\n"
        "Gekozen uit wie zei dat die dag kan, met een geldig certificaat en binnen ieders "
        "maximum. Wie die maand de minste tafels heeft, komt eerst.\n"
        "Met één tik gaan 5 verzoeken eruit; iedereen antwoordt zoals altijd."
    )
    assert button_rows(proposal.reply_markup) == [["✅ Stuur de verzoeken", "✖ Nu niet"]]

    send = RotaCallback(month=APRIL, send=True).pack()
    _answer, calls = await _tap(feed, bot_api, COORDINATOR_ID, send)
    assert [c.text for c in calls if isinstance(c, SendMessage)] == [
        "✅ 5 verzoeken verstuurd. De antwoorden krijg je zoals altijd."
    ]
    assert await requests_of(repo, ids["utrecht"]) == [(PIET, "pending")]
    assert await requests_of(repo, ids["amersfoort"]) == [(FATIMA, "pending")]
    assert sorted(await requests_of(repo, ids["zeist"])) == [(PIET, "pending"), (SARA, "pending")]
    assert await requests_of(repo, ids["kinder"]) == [(SARA, "pending")]
    assert len(await outbox_rows(repo, "facilitation.request")) == 5

    # The old button again: nothing left to send, nobody asked twice.
    _answer, calls = await _tap(feed, bot_api, COORDINATOR_ID, send)
    assert [c.text for c in calls if isinstance(c, SendMessage)] == [
        "Er was niets meer te versturen: elke tafel heeft zijn begeleiders, of er wacht nog "
        "een verzoek."
    ]
    assert len(await outbox_rows(repo, "facilitation.request")) == 5


async def test_the_proposal_goes_to_the_coordinators_in_english_too(
    repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await add_person(repo, clock, COORDINATOR_ID, role=Role.COORDINATOR, levels=())
    await add_person(repo, clock, EMMA)
    assert await rota.propose_rota(repo, now=clock.now(), tz=settings.tz) == 0  # no tables
    await table(repo, clock, title="Utrecht", starts_at=_evening(7))
    assert await rota.propose_rota(repo, now=clock.now(), tz=settings.tz) == 0  # no answers
    await _say_days(repo, clock, settings, EMMA, 7)
    assert await rota.propose_rota(repo, now=clock.now(), tz=settings.tz) == 1
    (row,) = await outbox_rows(repo, rota.ROTA)
    shown = await render(repo, row, settings, clock.now(), "en")
    assert shown is not None
    assert shown.text.startswith(
        "🧑‍🏫 <b>Proposed rota for April 2026</b>\n\n1. Tue 7 Apr, 19:30 · Utrecht (Utrecht)\n"
        "    → Emma\n"
    )
    assert button_rows(shown.reply_markup) == [["✅ Send the requests", "✖ Not now"]]


async def test_two_coordinators_sending_at_once_ask_everyone_once(
    dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock,
    settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    second = COORDINATOR_ID + 1
    await add_person(repo, clock, second, role=Role.COORDINATOR, levels=())
    ids = await _april(repo, clock)
    await _say_days(repo, clock, settings, FATIMA, 7, 9)
    await _say_days(repo, clock, settings, PIET, 7, 9, 14)
    await _say_days(repo, clock, settings, SARA, 9, 14)
    await repo.session.commit()
    send = RotaCallback(month=APRIL, send=True).pack()

    await asyncio.gather(
        *(
            dispatcher.feed_update(bot, callback_update(tg_user(who), send))
            for who in (COORDINATOR_ID, second, COORDINATOR_ID)
        )
    )

    bot_api.take_all()
    asked = [
        (name, person)
        for name, event_id in ids.items()
        for person, _status in await requests_of(repo, event_id)
    ]
    assert len(asked) == len(set(asked)) == 5


async def test_days_that_have_passed_are_forgotten(
    repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await team(repo, clock)
    await table(repo, clock, starts_at=_evening(7))
    await _say_days(repo, clock, settings, FATIMA, 7)
    clock.advance(timedelta(days=40))
    report = await apply_retention(repo, now=clock.now(), days=365)
    assert report.days_forgotten == 1
