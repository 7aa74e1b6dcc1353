"""On PostgreSQL a sign-up that is alone at its table in the process locks the table's row as
its transaction begins, in the BEGIN's round trip (`storage.postgres_driver`). The rules hold
when several processes do so at once, and a lock that fails or is given up on while it waits
leaves its connection as it found it."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.clock import FakeClock
from bot.services.events import registrations
from bot.services.events.registrations import SignUpOutcome
from storage import postgres_driver
from storage.engine import create_engine, create_session_pool
from storage.models import Registration, RegistrationStatus
from storage.repositories import Repo
from tests.conftest import POSTGRES_URL
from tests.event_helpers import make_event, make_people

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set")


async def _table_and_people(
    url: str, clock: FakeClock, capacity: int, people: int
) -> tuple[int, list[int]]:
    engine = create_engine(url)
    async with create_session_pool(engine)() as session:
        repo = Repo(session)
        event_id = (await make_event(repo, clock, capacity=capacity)).id
        ids = await make_people(repo, clock, people, 7_000)
        await session.commit()
    await engine.dispose()
    return event_id, ids


async def _registrations(url: str, event_id: int) -> list[tuple[int, str, int | None]]:
    engine = create_engine(url)
    async with create_session_pool(engine)() as session:
        rows = await session.execute(
            select(Registration.user_id, Registration.status, Registration.waitlist_position)
            .where(Registration.event_id == event_id)
            .order_by(Registration.user_id)
        )
        found = [tuple(row) for row in rows]
    await engine.dispose()
    return found  # type: ignore[return-value]


async def _raw(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))


async def _sign_up(engine: Any, event_id: int, person: int, clock: FakeClock) -> SignUpOutcome:
    """One sign-up through the service, in a database session of its own on `engine`."""
    async with create_session_pool(engine)() as session:
        result = await registrations.sign_up(Repo(session), event_id, person, now=clock.now())
        return result.outcome


def _locks_sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    sent: list[str] = []
    lock_at_begin = postgres_driver.LockFirstConnection.lock_at_begin

    def counted(self: Any, statement: str) -> None:
        sent.append(statement)
        lock_at_begin(self, statement)

    monkeypatch.setattr(postgres_driver.LockFirstConnection, "lock_at_begin", counted)
    return sent


async def test_processes_signing_up_at_once_each_lock_at_begin_and_vol_is_vol(
    postgres_tables: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id, people = await _table_and_people(postgres_tables, clock, capacity=3, people=8)
    sent = _locks_sent(monkeypatch)
    # Eight processes, one sign-up each: every one of them is alone at the table in its process.
    engines = [create_engine(postgres_tables, pool_size=1) for _ in people]

    try:
        signing_up = zip(engines, people, strict=True)
        outcomes = await asyncio.gather(
            *(_sign_up(engine, event_id, person, clock) for engine, person in signing_up)
        )
    finally:
        for engine in engines:
            await engine.dispose()
    assert len(sent) == len(people)
    assert sorted(outcomes) == sorted(
        [SignUpOutcome.CONFIRMED] * 3 + [SignUpOutcome.WAITLISTED] * 5
    )
    rows = await _registrations(postgres_tables, event_id)
    seated = [row for row in rows if row[1] == RegistrationStatus.CONFIRMED]
    waiting = sorted(row[2] for row in rows if row[1] == RegistrationStatus.WAITLISTED)
    assert (len(seated), waiting) == (3, [1, 2, 3, 4, 5])


async def _hold_the_row(url: str, event_id: int) -> asyncpg.Connection:
    holder = await _raw(url)
    await holder.execute("BEGIN")
    await holder.execute("SELECT 1 FROM events WHERE id = $1 FOR UPDATE", event_id)
    return holder


async def _connections_that(url: str, database_name: str, condition: str) -> int:
    """How many connections to the database are in the state `condition` describes."""
    watcher = await _raw(url)
    try:
        query = f"SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND {condition}"
        return int(await watcher.fetchval(query, database_name))
    finally:
        await watcher.close()


async def _open_transactions(url: str, database_name: str) -> int:
    return await _connections_that(url, database_name, "state LIKE 'idle in transaction%'")


async def _waiting_for_a_lock(url: str, database_name: str) -> None:
    for _ in range(200):
        if await _connections_that(url, database_name, "wait_event_type = 'Lock'"):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the sign-up never waited for the row")


async def test_a_sign_up_given_up_while_it_waits_for_the_row_leaves_its_connection_clean(
    postgres_tables: str, clock: FakeClock
) -> None:
    event_id, (anna, bram) = await _table_and_people(postgres_tables, clock, capacity=5, people=2)
    name = make_url(postgres_tables).database or ""
    engine = create_engine(postgres_tables, pool_size=1)  # the one connection is used again

    holder = await _hold_the_row(postgres_tables, event_id)
    try:
        waiting = asyncio.create_task(_sign_up(engine, event_id, anna, clock))
        await _waiting_for_a_lock(postgres_tables, name)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    finally:
        await holder.execute("ROLLBACK")
        await holder.close()
    try:
        assert await _sign_up(engine, event_id, bram, clock) == SignUpOutcome.CONFIRMED
        assert await _open_transactions(postgres_tables, name) == 0
    finally:
        await engine.dispose()
    assert [row[0] for row in await _registrations(postgres_tables, event_id)] == [bram]


async def test_a_lock_that_fails_at_begin_is_rolled_back_and_the_next_sign_up_goes_through(
    postgres_tables: str, clock: FakeClock
) -> None:
    event_id, (anna, bram) = await _table_and_people(postgres_tables, clock, capacity=5, people=2)
    name = make_url(postgres_tables).database or ""
    engine = create_engine(postgres_tables, pool_size=1)
    async with engine.connect() as connection:  # the pool's one connection waits 100 ms at most
        await connection.exec_driver_sql("SET lock_timeout = '100ms'")
        await connection.commit()

    holder = await _hold_the_row(postgres_tables, event_id)
    try:
        with pytest.raises(DBAPIError) as refused:
            await _sign_up(engine, event_id, anna, clock)
        assert isinstance(refused.value.orig.__cause__, asyncpg.LockNotAvailableError)  # type: ignore[union-attr]
    finally:
        await holder.execute("ROLLBACK")
        await holder.close()
    try:
        assert await _sign_up(engine, event_id, bram, clock) == SignUpOutcome.CONFIRMED
        assert await _sign_up(engine, event_id, anna, clock) == SignUpOutcome.CONFIRMED
        assert await _open_transactions(postgres_tables, name) == 0
    finally:
        await engine.dispose()
