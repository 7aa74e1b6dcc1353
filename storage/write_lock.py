"""One writer at a time per SQLite database, and a few per busy row on any database, queued in
the event loop.

SQLite lets one transaction write at a time. Left to SQLite, waiting writers poll the lock with
growing sleeps (its busy handler), which wastes time and makes waits long and uneven. Within a
process we queue them on an asyncio.Lock instead: fair (first come, first served) and without
polling. The lock is taken when a write transaction begins and released when it ends (commit,
rollback or close). SQLite's own lock, with its busy timeout, still guards against other processes.

On PostgreSQL writers wait only for the rows they lock, but a writer waiting for a row holds a
pooled connection all the while: a crowd signing up for one table would hold all of them, and
everyone else's updates would wait for a connection until the crowd is through. A write that
names the row it is about to lock (`row`) therefore waits for one of that row's turns in the
process first: `ROW_TURNS` of them, so while one writer holds the row the next already waits
for it in the database and goes on the moment it is free, and the rest wait here. The
database's row lock still guards against other processes. `acquire` says whether others held or
awaited the row's turns: a writer in a crowd can do the reads that need no lock while it waits,
rather than while it holds the row. On SQLite the database's write turn is the only turn, but
the writers that name a row are counted all the same, so a crowd is known there too.

While writers crowd at a row, what they all need and may read before holding it (the other
tables to suggest to a crowd landing on a waitlist) is read once and shared among them
(`RowTurns.shared`); it goes when the crowd does. A writer alone at its row on PostgreSQL has
nothing to read first: it locks the row as its transaction begins (`begin_options`), in the
BEGIN's round trip, and what it reads afterwards is read with the row held.

A busy row is named by its table and id: `("events", 12)`.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from storage.engine import LOCK_AT_BEGIN_OPTION, SQLITE_BEGIN_OPTION

ROW_TURNS = 2
BusyRow = tuple[str, int]


class RowTurns:
    """A busy row's turns in this process, how many writers hold or await one, and what the
    crowd of them shares (`shared`: anything a writer put there for the others)."""

    __slots__ = ("__weakref__", "_free", "shared", "writers")

    def __init__(self) -> None:
        self._free = asyncio.Semaphore(ROW_TURNS)
        self.writers = 0
        self.shared: dict[str, Any] = {}

    async def take(self) -> bool:
        """Wait for a turn; True when others held or awaited one as this writer asked."""
        self.writers += 1
        crowded = self.writers > 1
        try:
            await self._free.acquire()
        except BaseException:
            self.writers -= 1
            raise
        return crowded

    def release(self) -> None:
        self.writers -= 1
        self._free.release()

    def join(self) -> bool:
        """Count a writer without a turn (on SQLite the database's write turn is the only one);
        True when others were counted already."""
        self.writers += 1
        return self.writers > 1

    def leave(self) -> None:
        self.writers -= 1


class _SqliteTurn:
    """What a writer on SQLite holds: the database's write turn, and its place in the count of
    a row's writers, if it named one."""

    __slots__ = ("lock", "row")

    def __init__(self, lock: asyncio.Lock, row: RowTurns | None) -> None:
        self.lock, self.row = lock, row

    def release(self) -> None:
        self.lock.release()
        if self.row is not None:
            self.row.leave()


_LOCKS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()
# A row's turns live while someone holds or awaits one: an idle row keeps nothing.
_ROWS: weakref.WeakKeyDictionary[Engine, weakref.WeakValueDictionary[BusyRow, RowTurns]] = (
    weakref.WeakKeyDictionary()
)
_HOLDS = "samenspel_holds_write_lock"
_LOCKED_AT_BEGIN = "samenspel_locked_at_begin"


async def acquire(session: AsyncSession, row: BusyRow | None = None) -> RowTurns | None:
    """Wait for this database's write turn (SQLite), or for one of the turns of `row` (a key the
    writer names for a row it will lock, on other databases); given back when the session's
    transaction ends. The row's turns when others in this process held or awaited one as this
    writer asked (a crowd at the row, which shares `RowTurns.shared`); None when it was alone."""
    bind = session.bind
    if bind is None or session.sync_session.info.get(_HOLDS):
        return None
    engine: Engine = bind.sync_engine if hasattr(bind, "sync_engine") else bind  # type: ignore[assignment]
    turns = None if row is None else _turns_of(engine, row)
    if bind.dialect.name == "sqlite":
        crowded = turns is not None and turns.join()
        lock = _LOCKS.get(engine)
        if lock is None:
            lock = _LOCKS[engine] = asyncio.Lock()
        try:
            await lock.acquire()
        except BaseException:
            if turns is not None:
                turns.leave()
            raise
        session.sync_session.info[_HOLDS] = _SqliteTurn(lock, turns)
        return turns if crowded else None
    if turns is None:
        return None
    crowded = await turns.take()
    session.sync_session.info[_HOLDS] = turns
    return turns if crowded else None


def begin_options(session: AsyncSession, row: BusyRow | None, *, crowded: bool) -> dict[str, Any]:
    """The execution options of a write's transaction, about to begin: SQLite's BEGIN
    IMMEDIATE, and on other databases the lock of `row` as it begins, when the writer is alone
    at it (`crowded` False: with others at the row it does its reads that need no lock first).
    `held_from_start` then says so until the transaction ends."""
    options: dict[str, Any] = {SQLITE_BEGIN_OPTION: "IMMEDIATE"}
    bind = session.bind
    if row is not None and not crowded and bind is not None and bind.dialect.name != "sqlite":
        options[LOCK_AT_BEGIN_OPTION] = row
        session.sync_session.info[_LOCKED_AT_BEGIN] = row
    return options


def held_from_start(session: AsyncSession, row: BusyRow) -> bool:
    """Whether the write under way has held `row` since its transaction began: on SQLite every
    write does (the database's write turn and BEGIN IMMEDIATE), elsewhere a write that locked
    the row as it began (`begin_options`). What it reads then needs no lock of its own first."""
    info = session.sync_session.info
    return isinstance(info.get(_HOLDS), _SqliteTurn) or info.get(_LOCKED_AT_BEGIN) == row


def _turns_of(engine: Engine, row: BusyRow) -> RowTurns:
    rows = _ROWS.get(engine)
    if rows is None:
        rows = _ROWS[engine] = weakref.WeakValueDictionary()
    turns = rows.get(row)
    if turns is None:
        turns = rows[row] = RowTurns()
    return turns


def release(session: AsyncSession) -> None:
    """Give the turn back early (the transaction could not even begin)."""
    _release_held(session.sync_session)


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        _release_held(session)


def _release_held(session: Session) -> None:
    session.info.pop(_LOCKED_AT_BEGIN, None)
    turn: Any = session.info.pop(_HOLDS, None)
    if turn is not None:
        turn.release()
