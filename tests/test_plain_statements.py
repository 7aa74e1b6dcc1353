"""Plain statements (`storage.plain_statements`): the card's and a sign-up's reads go from the
driver straight into detached snapshots, and new rows are stored without the session's
execution, with the values the session would have given, on both databases."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, event, inspect, literal_column, select, table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from bot.clock import FakeClock
from bot.services.events import browse, registrations
from storage.base import Base
from storage.engine import create_session_pool
from storage.models import Event, Registration, Role
from storage.plain_statements import PlainSelect
from storage.repositories import Repo
from tests.event_helpers import at, make_event, make_people
from tests.test_read_blocks import _in_transaction


def _columns(instance: Any) -> dict[str, Any]:
    return {attribute.key: getattr(instance, attribute.key) for attribute in
            inspect(type(instance)).column_attrs}  # fmt: skip


def _same(plain: Any, loaded: Any) -> None:
    """Every column equal and of the same type (an enum as the enum, a time with its zone)."""
    assert type(plain) is type(loaded)
    expected = _columns(loaded)
    assert _columns(plain) == expected
    for key, value in _columns(plain).items():
        assert type(value) is type(expected[key]), key
        if hasattr(value, "tzinfo"):
            assert value.utcoffset() == expected[key].utcoffset() == timedelta(0)


async def _loaded(repo: Repo, event_id: int, user_id: int) -> tuple[Event, Registration | None]:
    """The event and the registration as the session loads them."""
    async with repo.read():
        found = await repo.session.get(Event, event_id, populate_existing=True)
        own = (
            await repo.session.execute(
                select(Registration)
                .where(Registration.event_id == event_id, Registration.user_id == user_id)
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
    assert found is not None
    return found, own


async def _card_beside_loaded(
    repo: Repo, event_id: int, user_id: int
) -> tuple[Registration | None, Registration | None, int, int]:
    """The card's read for someone, its event checked against the event as the session loads
    it: (the card's registration, the loaded one, seats taken, waitlist places)."""
    async with repo.read():
        row = await repo.registrations.event_with_own(event_id, user_id)
    assert row is not None
    event_row, own, seats, waiting = row
    loaded_event, loaded_own = await _loaded(repo, event_id, user_id)
    _same(event_row, loaded_event)
    return own, loaded_own, seats, waiting


@contextmanager
def _executed_by_the_session(repo: Repo) -> Iterator[list[Any]]:
    """The statements run through the session (its ORM execution) while the block runs."""
    executed: list[Any] = []

    def seen(orm_execute: Any) -> None:
        executed.append(orm_execute.statement)

    event.listen(repo.session.sync_session, "do_orm_execute", seen)
    try:
        yield executed
    finally:
        event.remove(repo.session.sync_session, "do_orm_execute", seen)


async def _stored(repo: Repo, sql: str, **values: Any) -> tuple[Any, ...]:
    """One row as the database holds it, read with plain SQL."""
    async with repo.read():
        return tuple((await repo.session.execute(text(sql), values)).one())


async def test_the_card_read_gives_what_the_session_gives(repo: Repo, clock: FakeClock) -> None:
    """Every column of the event and of the person's own registration as the session loads
    them: texts, numbers, a list, enums, times in UTC, NULLs; no registration as None; the seats
    and the waitlist counted; no event as None."""
    found = await make_event(
        repo, clock, kind="training", level="basis", capacity=2, contribution="€ 5",
        description="Oefenen met <b>vragen</b>", registration_deadline=at(clock, days=3),
        reminder_offsets=[60, 24 * 60], latitude=52.09, longitude=5.12,
    )  # fmt: skip
    first, second, third, outsider = await make_people(repo, clock, 4, 600)
    await registrations.sign_up(repo, found.id, first, now=clock.now())
    await registrations.sign_up(repo, found.id, second, now=clock.now())
    await registrations.sign_up(repo, found.id, third, now=clock.now())  # waitlisted
    for user_id in (first, third, outsider):
        own, loaded_own, seats, waiting = await _card_beside_loaded(repo, found.id, user_id)
        if loaded_own is None:
            assert own is None
        else:
            _same(own, loaded_own)
        assert (seats, waiting) == (2, 1)
    async with repo.read():
        assert await repo.registrations.event_with_own(found.id + 1000, first) is None


async def test_a_snapshot_is_detached_and_a_change_to_it_is_not_written(
    repo: Repo, clock: FakeClock
) -> None:
    found = await make_event(repo, clock)
    (user_id,) = await make_people(repo, clock, 1, 700)
    await registrations.sign_up(repo, found.id, user_id, now=clock.now())
    view, own = await browse.view_for(repo, found.id, user_id)
    assert own is not None
    assert inspect(view.event).detached and inspect(own).detached
    view.event.title = "Iets anders"
    async with repo.write():
        pass
    again, _ = await browse.view_for(repo, found.id, user_id)
    assert again.event.title == "Samen aan tafel"


async def test_the_card_read_goes_past_the_orm_and_listeners_still_see_it(
    repo: Repo, clock: FakeClock
) -> None:
    """No ORM execution for a card (the cost it saves), one statement that statement listeners
    see, and in a read block no transaction around it."""
    found = await make_event(repo, clock)
    statements: list[str] = []
    sync_engine = repo.session.bind.sync_engine if repo.session.bind else None
    assert sync_engine is not None

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(sync_engine, "before_cursor_execute", seen)
    try:
        with _executed_by_the_session(repo) as orm:
            async with repo.read():
                row = await repo.registrations.event_with_own(found.id, 1)
                assert not await _in_transaction(repo)
    finally:
        event.remove(sync_engine, "before_cursor_execute", seen)
    assert row is not None and row[0].title == "Samen aan tafel"
    assert orm == []
    assert len(statements) == 1 and "FROM events" in statements[0]


async def test_a_plain_read_in_a_write_block_sees_what_the_block_wrote(
    repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        async with repo.write():
            await repo.session.execute(
                text("UPDATE events SET title = 'Nieuw' WHERE id = :id"), {"id": event_id}
            )
            row = await repo.registrations.event_with_own(event_id, 1)
            assert await _in_transaction(repo)
            assert row is not None and row[0].title == "Nieuw"
            raise Undo
    async with repo.read():
        row = await repo.registrations.event_with_own(event_id, 1)
    assert row is not None and row[0].title == "Samen aan tafel"


async def test_a_failing_plain_read_raises_as_sqlalchemy_does_and_the_session_goes_on(
    repo: Repo, clock: FakeClock
) -> None:
    """SQLAlchemy's error, with the values sent kept out of its text (they may be someone's
    name), and the next read of the session works."""
    found = await make_event(repo, clock)
    missing = PlainSelect(
        literal_column("1"),
        build=lambda *columns: (
            select(*columns)
            .select_from(table("nowhere"))
            .where(literal_column("name") == bindparam("name"))
        ),
    )
    with pytest.raises(DBAPIError) as raised:
        async with repo.read():
            await missing.first(repo.session, {"name": "Anna de Vries"})
    assert "nowhere" in str(raised.value) and "Anna" not in str(raised.value)
    async with repo.read():
        row = await repo.registrations.event_with_own(found.id, 1)
    assert row is not None


async def test_with_another_driver_the_statement_runs_through_the_session(
    tmp_path: Any, clock: FakeClock, repo: Repo
) -> None:
    """SQLAlchemy's own aiosqlite driver knows no plain reads: the same rows come back."""
    if repo.session.bind.dialect.name != "sqlite":
        pytest.skip("one other driver is enough")
    other = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    try:
        async with other.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with create_session_pool(other)() as session:
            plain_repo = Repo(session)
            found = await make_event(plain_repo, clock, capacity=3)
            (user_id,) = await make_people(plain_repo, clock, 1, 800)
            await registrations.sign_up(plain_repo, found.id, user_id, now=clock.now())
            own, loaded_own, seats, waiting = await _card_beside_loaded(
                plain_repo, found.id, user_id
            )
            _same(own, loaded_own)
            assert (seats, waiting) == (1, 0)
            assert isinstance(session, AsyncSession)
    finally:
        await other.dispose()


async def test_a_new_seat_and_its_reminders_go_past_the_session(
    repo: Repo, clock: FakeClock
) -> None:
    """A new seat and its reminders are stored by plain statements (one on PostgreSQL, two on
    SQLite): no INSERT goes through the session."""
    event_id = (await make_event(repo, clock)).id
    (user_id,) = await make_people(repo, clock, 1, 900)
    with _executed_by_the_session(repo) as executed:
        result = await registrations.sign_up(repo, event_id, user_id, now=clock.now())
    postgres = repo.session.bind.dialect.name == "postgresql"
    inserts = [s for s in executed if getattr(s, "is_insert", False)]
    assert inserts == []
    # Besides, at most the block of ids a new seat's id is taken from ahead (PostgreSQL).
    others = [str(s) for s in executed if not getattr(s, "is_insert", False)]
    assert all("nextval" in statement for statement in others) and len(others) <= int(postgres)
    assert result.registration in repo.session
    stored = await _stored(
        repo, "SELECT status, seat_count, party_size FROM registrations WHERE id = :id",
        id=result.registration.id,
    )  # fmt: skip
    (reminders,) = await _stored(
        repo, "SELECT count(*) FROM outbox WHERE recipient_id = :id", id=user_id
    )
    assert stored == ("confirmed", 1, 1)
    assert reminders >= 1


async def test_an_insert_that_leaves_a_default_to_sqlalchemy_gets_it(
    repo: Repo, clock: FakeClock
) -> None:
    """A new row without the columns that have a Python default runs through the session,
    which fills them in."""
    event_id = (await make_event(repo, clock)).id
    (user_id,) = await make_people(repo, clock, 1, 950)
    now = clock.now()
    async with repo.write():
        stored = await repo.registrations.add(
            Registration(
                event_id=event_id, user_id=user_id, status="confirmed", created_at=now,
                updated_at=now,
            )
        )  # fmt: skip
    assert (stored.party_size, stored.seat_count, stored.late_cancellation) == (1, 0, False)
    assert stored.waits_for_offer is False


async def test_a_registration_found_by_a_sign_up_is_changed_in_the_database(
    repo: Repo, clock: FakeClock
) -> None:
    """Signed up, cancelled, signed up again: the row the sign-up read as plain facts is kept
    by the session, and its change is written."""
    event_id = (await make_event(repo, clock)).id
    (user_id,) = await make_people(repo, clock, 1, 990)
    first = await registrations.sign_up(repo, event_id, user_id, now=clock.now())
    await registrations.cancel(repo, event_id, user_id, now=clock.now())
    again = await registrations.sign_up(repo, event_id, user_id, now=clock.now())
    assert again.registration.id == first.registration.id
    assert again.registration in repo.session
    row = await _stored(
        repo, "SELECT status, seat_count FROM registrations WHERE id = :id",
        id=first.registration.id,
    )  # fmt: skip
    assert row == ("confirmed", 2)


async def test_sign_ups_at_once_take_the_row_before_reading_and_vol_is_vol(
    engine: AsyncEngine, session_pool: Any, repo: Repo, clock: FakeClock
) -> None:
    """Five people in the process at once for two seats: those that wait for the table read
    the event with its row taken (`FOR UPDATE` on PostgreSQL, sent as a plain statement) and
    their facts after it; two seats, three waitlist places 1..3."""
    event_id = (await make_event(repo, clock, capacity=2)).id
    people = await make_people(repo, clock, 5, 1_100)
    await repo.session.commit()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async def one(user_id: int) -> Any:
        async with session_pool() as session:
            return await registrations.sign_up(Repo(session), event_id, user_id, now=clock.now())

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        results = await asyncio.gather(*(one(user_id) for user_id in people))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    outcomes = sorted(result.outcome.value for result in results)
    assert outcomes == ["confirmed"] * 2 + ["waitlisted"] * 3
    positions = sorted(r.registration.waitlist_position or 0 for r in results)
    assert positions == [0, 0, 1, 2, 3]
    if engine.dialect.name == "postgresql":
        taken = [s for s in statements if "FOR UPDATE" in s and "FROM events" in s]
        assert taken and all("registrations" not in s.split("FROM events")[0] for s in taken)


async def test_someone_new_is_stored_and_refreshed_by_plain_statements(
    repo: Repo, clock: FakeClock
) -> None:
    """Storing someone new, and writing what changed of someone known, are one plain statement
    each (no execution through the session); the row comes back as the session's object."""
    sight = {
        "first_name": "Anna", "last_name": None, "username": "anna", "telegram_language": "nl",
        "now": clock.now(), "seen_before": clock.now(), "coordinator": False,
    }  # fmt: skip
    with _executed_by_the_session(repo) as executed:
        async with repo.write_one():
            new = await repo.users.record_sight(1_200, **sight)
        async with repo.write_one():
            renamed = await repo.users.record_sight(1_200, **(sight | {"first_name": "Ans"}))
    assert executed == []
    assert new is renamed and new in repo.session
    assert (new.first_name, new.username, new.role, new.is_reachable) == (
        "Ans", "anna", Role.RESIDENT, True
    )  # fmt: skip
    assert new.created_at == clock.now()
    stored = await _stored(repo, "SELECT first_name, role FROM users WHERE id = :id", id=1_200)
    assert stored == ("Ans", "resident")


async def test_a_few_messages_are_one_plain_statement_and_many_go_through_the_session(
    repo: Repo, clock: FakeClock
) -> None:
    """Three messages (one whose key exists) are one plain statement that counts the two
    stored; twelve go as SQLAlchemy's multi-row INSERT through the session."""
    (user_id,) = await make_people(repo, clock, 1, 1_300)

    def message(key: str) -> dict[str, Any]:
        return {
            "key": key, "recipient_id": user_id, "kind": "event.reminder", "params": {"n": 1},
            "due_at": clock.now(), "subject": None, "urgent": False,
        }  # fmt: skip

    with _executed_by_the_session(repo) as executed:
        async with repo.write():
            assert await repo.outbox.add_many([message("a")], now=clock.now()) == 1
            few = await repo.outbox.add_many(
                [message("a"), message("b"), message("c")], now=clock.now()
            )
        assert (few, executed) == (2, [])
        async with repo.write():
            many = await repo.outbox.add_many(
                [message(f"m{n}") for n in range(12)], now=clock.now()
            )
        assert many == 12 and len(executed) == 1
    async with repo.read():
        keys = (await repo.session.execute(text("SELECT key, params FROM outbox"))).all()
    assert sorted(key for key, _ in keys) == sorted(["a", "b", "c", *(f"m{n}" for n in range(12))])
    stored = [json.loads(params) if isinstance(params, str) else params for _, params in keys]
    assert stored == [{"n": 1}] * 15  # as JSON


async def test_a_plain_read_outside_a_block_takes_a_connection_of_its_own(
    repo: Repo, clock: FakeClock
) -> None:
    """Without a block the session has no connection yet: the plain read asks it for one."""
    event_id = (await make_event(repo, clock)).id
    assert repo.session.sync_session.get_transaction() is None
    row = await repo.registrations.event_with_own(event_id, 1)
    assert row is not None and row[0].id == event_id
    await repo.session.rollback()
