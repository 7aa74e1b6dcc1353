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
rather than while it holds the row.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

ROW_TURNS = 2


class RowTurns:
    """A busy row's turns in this process, and how many writers hold or await one."""

    __slots__ = ("__weakref__", "_free", "writers")

    def __init__(self) -> None:
        self._free = asyncio.Semaphore(ROW_TURNS)
        self.writers = 0

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


_LOCKS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()
# A row's turns live while someone holds or awaits one: an idle row keeps nothing.
_ROWS: weakref.WeakKeyDictionary[Engine, weakref.WeakValueDictionary[Hashable, RowTurns]] = (
    weakref.WeakKeyDictionary()
)
_HOLDS = "samenspel_holds_write_lock"


async def acquire(session: AsyncSession, row: Hashable | None = None) -> bool:
    """Wait for this database's write turn (SQLite), or for one of the turns of `row` (a key the
    writer names for a row it will lock, on other databases); given back when the session's
    transaction ends. True when others in this process held or awaited a turn of `row` as
    this writer asked for one (a crowd at the row)."""
    bind = session.bind
    if bind is None or session.sync_session.info.get(_HOLDS):
        return False
    engine: Engine = bind.sync_engine if hasattr(bind, "sync_engine") else bind  # type: ignore[assignment]
    if bind.dialect.name == "sqlite":
        lock = _LOCKS.setdefault(engine, asyncio.Lock())
        await lock.acquire()
        session.sync_session.info[_HOLDS] = lock
        return False
    if row is None:
        return False
    rows = _ROWS.setdefault(engine, weakref.WeakValueDictionary())
    turns = rows.get(row)
    if turns is None:
        turns = rows[row] = RowTurns()
    crowded = await turns.take()
    session.sync_session.info[_HOLDS] = turns
    return crowded


def release(session: AsyncSession) -> None:
    """Give the turn back early (the transaction could not even begin)."""
    _release_held(session.sync_session)


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        _release_held(session)


def _release_held(session: Session) -> None:
    turn: Any = session.info.pop(_HOLDS, None)
    if turn is not None:
        turn.release()
