"""Vol = vol under load: hundreds of people tapping "sign up" at the same second, through the
real Dispatcher, each update with its own database session, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import User
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import EventAction, EventCallback
from storage import write_lock
from storage.models import Registration
from storage.repositories import Repo
from storage.repositories.events import EventRepository
from tests.event_helpers import START_DEFAULT, make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def _registrations(repo: Repo, event_id: int) -> list[Registration]:
    result = await repo.session.execute(
        select(Registration).where(Registration.event_id == event_id)
    )
    found = list(result.scalars())
    await repo.session.commit()
    return found


def _check_invariants(rows: list[Registration], capacity: int) -> tuple[int, list[int]]:
    confirmed = [row for row in rows if row.status == "confirmed"]
    positions = sorted(row.waitlist_position or 0 for row in rows if row.status == "waitlisted")
    assert len(confirmed) <= capacity, "overbooked"
    assert positions == list(range(1, len(positions) + 1)), "waitlist has gaps or duplicates"
    if positions:
        assert len(confirmed) == capacity, "a seat is free while people wait"
    return len(confirmed), positions


async def _known_people(
    dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, count: int
) -> list[User]:
    """People known to the bot already: their taps only sign up."""
    people = [make_user(language_code="nl") for _ in range(count)]
    for person in people:
        await dispatcher.feed_update(bot, message_update(person, "/menu"))
    bot_api.take_all()
    return people


def _hold_the_first_sign_up(monkeypatch: Any) -> tuple[asyncio.Event, asyncio.Event]:
    """The first sign-up to take the table's row stops halfway (`under_way`) until `go_on`."""
    from bot.services.events import registrations

    under_way, go_on = asyncio.Event(), asyncio.Event()
    check = registrations._check_prerequisites

    async def held_once(*args: Any, **kwargs: Any) -> None:
        if not under_way.is_set():
            under_way.set()
            await go_on.wait()
        await check(*args, **kwargs)

    monkeypatch.setattr(registrations, "_check_prerequisites", held_once)
    return under_way, go_on


@asynccontextmanager
async def _tapping_while_the_first_is_held(
    dispatcher: Dispatcher, bot: Bot, monkeypatch: Any, people: list[User], data: str
) -> AsyncIterator[None]:
    """Everyone taps `data` at once; inside the block the first sign-up is held halfway and the
    others have reached the point where they wait. Afterwards all of them are through."""
    under_way, go_on = _hold_the_first_sign_up(monkeypatch)
    crowd = [
        asyncio.create_task(dispatcher.feed_update(bot, callback_update(person, data)))
        for person in people
    ]
    try:
        await asyncio.wait_for(under_way.wait(), 10)
        await asyncio.sleep(0.5)  # the others reach the point where they wait
        yield
    finally:
        go_on.set()
        await asyncio.gather(*crowd)


def _waitlist_buttons(bot_api: MockedBotAPI) -> list[Any]:
    """The buttons under each waitlist message sent since the last look (None: no buttons)."""
    return [
        button_rows(call.reply_markup) if call.reply_markup else None
        for call in bot_api.take_all()
        if isinstance(call, SendMessage) and (call.text or "").startswith("⏳")
    ]


async def test_200_simultaneous_sign_ups_fill_10_seats_and_number_the_waitlist(
    dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=10)).id
    await repo.session.commit()
    data = EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
    people = [make_user(language_code="nl") for _ in range(200)]

    await asyncio.gather(
        *(dispatcher.feed_update(bot, callback_update(person, data)) for person in people)
    )

    calls = bot_api.take_all()
    answers = [call.text for call in calls if isinstance(call, AnswerCallbackQuery)]
    assert answers.count("Je bent aangemeld! Tot dan.") == 10
    waitlisted = [text for text in answers if text and text.startswith("Vol = vol")]
    assert len(waitlisted) == 190
    confirmed, positions = _check_invariants(await _registrations(repo, event_id), 10)
    assert confirmed == 10
    assert positions == list(range(1, 191))


async def test_concurrent_cancel_and_sign_up_never_overbook(
    dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=10)).id
    await repo.session.commit()
    join = EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
    leave = EventCallback(action=EventAction.LEAVE_CONFIRMED, event_id=event_id).pack()
    first = [make_user(language_code="nl") for _ in range(25)]
    for person in first:  # 10 seats, 15 waiting
        await dispatcher.feed_update(bot, callback_update(person, join))
    bot_api.take_all()

    leavers = first[:8] + first[12:16]  # 8 with a seat, 4 from the waitlist
    newcomers = [make_user(language_code="en") for _ in range(40)]
    updates: list[Any] = [callback_update(person, leave) for person in leavers]
    updates += [callback_update(person, join) for person in newcomers]
    updates = updates[::2] + updates[1::2]  # interleave leaving and joining

    await asyncio.gather(*(dispatcher.feed_update(bot, update) for update in updates))

    bot_api.take_all()
    rows = await _registrations(repo, event_id)
    confirmed, positions = _check_invariants(rows, 10)
    assert confirmed == 10
    assert len(positions) == 25 - 12 + 40 - 10  # everyone not seated and not gone is waiting
    assert all(row.status == "cancelled" for row in rows if row.user_id in {p.id for p in leavers})


async def _a_table_of_two_and_one_in_zeist(
    repo: Repo, clock: FakeClock, *, zeist_seats: int = 10
) -> tuple[int, int]:
    """A table of two, and a later one in Zeist that its waitlist is shown: their ids."""
    table = (await make_event(repo, clock, capacity=2)).id
    later = START_DEFAULT + timedelta(days=7)
    zeist = await make_event(
        repo,
        clock,
        title="Tafel in Zeist",
        municipality="Zeist",
        starts_at=later,
        capacity=zeist_seats,
    )
    zeist_id = zeist.id
    await repo.session.commit()
    return table, zeist_id


def _on_each_read_of_tables_to_suggest(
    monkeypatch: Any, note: Callable[[EventRepository], None]
) -> None:
    with_seats_left = EventRepository.with_seats_left

    async def noted(self: EventRepository, *args: Any, **kwargs: Any) -> Any:
        note(self)
        return await with_seats_left(self, *args, **kwargs)

    monkeypatch.setattr(EventRepository, "with_seats_left", noted)


async def test_a_rush_on_one_table_leaves_the_database_free_for_everyone_else(
    dispatcher: Dispatcher,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    monkeypatch: Any,
) -> None:
    """While one sign-up for a table is under way, the others for that table wait their turn in
    the process, holding no database connection: someone opening another table's card is
    answered at once, not after the rush (the process keeps 10 connections; 40 people tap)."""
    table = (await make_event(repo, clock, capacity=10)).id
    other = (await make_event(repo, clock, title="Nog een tafel")).id
    await repo.session.commit()
    people = await _known_people(dispatcher, bot, bot_api, 41)

    join = EventCallback(action=EventAction.JOIN, event_id=table).pack()
    card = EventCallback(action=EventAction.OPEN, event_id=other).pack()
    async with _tapping_while_the_first_is_held(dispatcher, bot, monkeypatch, people[:40], join):
        await asyncio.wait_for(dispatcher.feed_update(bot, callback_update(people[40], card)), 5)
    texts = [getattr(call, "text", None) or "" for call in bot_api.take_all()]
    assert any(text.startswith("🗣 <b>Nog een tafel</b>") for text in texts)
    assert texts.count("Je bent aangemeld! Tot dan.") == 10
    confirmed, positions = _check_invariants(await _registrations(repo, table), 10)
    assert (confirmed, positions) == (10, list(range(1, 31)))


async def test_in_a_crowd_the_tables_to_suggest_are_read_before_taking_the_row(
    dispatcher: Dispatcher,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    monkeypatch: Any,
) -> None:
    """Most of a crowd lands on the waitlist and is shown other tables that still have seats.
    Those are read while another holds the table's row, not while holding it: the row is what
    the rest of the crowd waits for (on PostgreSQL; SQLite has one writer at a time anyway).
    And they are read once for the whole crowd."""
    from sqlalchemy import event
    from sqlalchemy.orm import ORMExecuteState, Session

    from storage.repositories.events import LOCK_EVENT

    if repo.session.get_bind().dialect.name != "postgresql":
        pytest.skip("writers wait for the row only on PostgreSQL")
    table, _zeist = await _a_table_of_two_and_one_in_zeist(repo, clock)
    people = await _known_people(dispatcher, bot, bot_api, 12)

    holding_row: list[bool] = []  # for each read of tables to suggest: was the row held?

    def noted_lock(state: ORMExecuteState) -> None:
        if state.statement is LOCK_EVENT:
            state.session.info["holds_event_row"] = True

    event.listen(Session, "do_orm_execute", noted_lock)

    def note_read(reader: EventRepository) -> None:  # the row locked by a statement or a BEGIN
        locked = write_lock.held_from_start(reader._session, EventRepository.row(table))
        holding_row.append(reader._session.info.get("holds_event_row", False) or locked)

    _on_each_read_of_tables_to_suggest(monkeypatch, note_read)
    join = EventCallback(action=EventAction.JOIN, event_id=table).pack()
    try:
        async with _tapping_while_the_first_is_held(dispatcher, bot, monkeypatch, people, join):
            pass
    finally:
        event.remove(Session, "do_orm_execute", noted_lock)

    assert _waitlist_buttons(bot_api) == [[["🗣 Tafel in Zeist"]]] * 10
    # The first held the row with nobody before it; the eleven behind it share one read, made
    # while waiting.
    assert holding_row == [False]


async def test_a_crowd_at_one_table_reads_the_tables_to_suggest_once(
    dispatcher: Dispatcher,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    monkeypatch: Any,
) -> None:
    """Twelve people tap at once for a table of two while the first is still signing up: the
    ten on the waitlist are all shown the other table with seats, read once for all of them
    (on either database). Someone who signs up alone later reads it again, and sees a table
    that filled up meanwhile no longer."""
    table, zeist_id = await _a_table_of_two_and_one_in_zeist(repo, clock, zeist_seats=1)
    people = await _known_people(dispatcher, bot, bot_api, 14)

    reads: list[int] = []
    _on_each_read_of_tables_to_suggest(monkeypatch, lambda _reader: reads.append(1))
    join = EventCallback(action=EventAction.JOIN, event_id=table).pack()
    async with _tapping_while_the_first_is_held(dispatcher, bot, monkeypatch, people[:12], join):
        pass

    assert _waitlist_buttons(bot_api) == [[["🗣 Tafel in Zeist"]]] * 10
    assert len(reads) == 1

    zeist_join = EventCallback(action=EventAction.JOIN, event_id=zeist_id).pack()
    await dispatcher.feed_update(bot, callback_update(people[12], zeist_join))
    bot_api.take_all()
    await dispatcher.feed_update(bot, callback_update(people[13], join))
    assert _waitlist_buttons(bot_api) == [None]
    assert len(reads) == 2
