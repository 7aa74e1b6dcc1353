"""SQLite as several processes use it: everyone opening a new database file at the same moment
gets a working connection in WAL mode (SQLite answers "locked" to all but one of the
simultaneous switches to WAL, without waiting for the busy timeout)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.engine import create_engine, create_session_pool

ROUNDS, AT_ONCE = 25, 8


async def _open(url: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return str((await connection.execute(text("PRAGMA journal_mode"))).scalar())
    finally:
        await engine.dispose()


async def test_many_opening_a_new_database_at_once_all_get_it_in_wal_mode(
    tmp_path: Path,
) -> None:
    for number in range(ROUNDS):
        url = f"sqlite+aiosqlite:///{tmp_path / f'new-{number}.db'}"
        modes = await asyncio.gather(*(_open(url) for _ in range(AT_ONCE)))
        assert modes == ["wal"] * AT_ONCE


class Trips:
    """Calls into the database's thread (each a queue put, a wake-up and a switch)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    import aiosqlite.core

    counted = Trips()
    original: Any = aiosqlite.core.Connection._execute

    async def counting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counted.count += 1
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counting)
    return counted


async def test_a_statement_is_one_trip_to_the_database_thread(tmp_path: Path, trips: Trips) -> None:
    """A read and its end make two trips, the BEGIN travelling with the read (aiosqlite's
    adapter made nine: a begin, then a cursor, execute, fetch and close per statement, and two
    rollbacks when the session closed); a transaction that runs nothing makes none. The
    results, row counts, new ids and errors are what SQLite gives."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    pool = create_session_pool(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        trips.count = 0
        async with pool() as session:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 0
        assert trips.count == 2

        trips.count = 0
        async with pool() as session, session.begin():
            await session.connection()  # the transaction begins, but nothing is read
        assert trips.count == 0

        trips.count = 0
        async with pool() as session, session.begin():
            insert = text("INSERT INTO t (name) VALUES (:n)")
            await session.execute(insert, [{"n": "a"}, {"n": "b"}])
            added = await session.execute(text("INSERT INTO t (name) VALUES ('c') RETURNING id"))
            assert added.scalar() == 3
            changed = await session.execute(text("UPDATE t SET name = 'x' WHERE id < 3"))
            assert changed.rowcount == 2  # type: ignore[attr-defined]
        assert trips.count == 4  # three statements (the first with the BEGIN), commit

        async with pool() as session:
            rows = (await session.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
            assert [tuple(row) for row in rows] == [(1, "x"), (2, "x"), (3, "c")]
            with pytest.raises(OperationalError):
                await session.execute(text("SELECT nothing FROM t"))
    finally:
        await engine.dispose()


async def test_a_write_that_cannot_get_the_lock_fails_whole_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    """Another process holds the write lock past the busy timeout: the write block's first
    statement, which carries its BEGIN IMMEDIATE, fails with "locked"; nothing of the block is
    kept, and once the lock is free the same session writes."""
    import sqlite3

    from sqlalchemy import event

    from storage.repositories import Repo

    path = tmp_path / "locked.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")

    @event.listens_for(engine.sync_engine, "connect")
    def _short_wait(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=50")
        cursor.close()

    pool = create_session_pool(engine)
    other_process = sqlite3.connect(path, isolation_level=None)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
        insert = text("INSERT INTO t (name) VALUES (:name)")
        other_process.execute("BEGIN IMMEDIATE")
        async with pool() as session:
            repo = Repo(session)
            with pytest.raises(OperationalError, match="locked"):
                async with repo.write():
                    await session.execute(insert, {"name": "kept out"})
            other_process.execute("ROLLBACK")
            async with repo.write():
                await session.execute(insert, {"name": "written"})
            async with repo.read():
                names = (await session.execute(text("SELECT name FROM t"))).scalars().all()
        assert names == ["written"]
    finally:
        other_process.close()
        await engine.dispose()
