"""One writer at a time per SQLite database, and per busy row on any database, queued in the
event loop.

SQLite lets one transaction write at a time. Left to SQLite, waiting writers poll the lock with
growing sleeps (its busy handler), which wastes time and makes waits long and uneven. Within a
process we queue them on an asyncio.Lock instead: fair (first come, first served) and without
polling. The lock is taken when a write transaction begins and released when it ends (commit,
rollback or close). SQLite's own lock, with its busy timeout, still guards against other processes.

On PostgreSQL writers wait only for the rows they lock, but a writer waiting for a row holds a
pooled connection all the while: a crowd signing up for one table would hold all of them, and
everyone else's updates would wait for a connection until the crowd is through. A write that
names the row it is about to lock (`row`) therefore waits for that row's turn in the process
first; the database's row lock still guards against other processes.
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

_LOCKS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()
# A row's lock lives while someone holds or awaits it: an idle row keeps nothing.
_ROWS: weakref.WeakKeyDictionary[Engine, weakref.WeakValueDictionary[Hashable, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)
_HOLDS = "samenspel_holds_write_lock"


async def acquire(session: AsyncSession, row: Hashable | None = None) -> None:
    """Wait for this database's write turn (SQLite), or for the turn of `row` (a key the writer
    names for a row it will lock, on other databases); released when the session's transaction
    ends."""
    bind = session.bind
    if bind is None or session.sync_session.info.get(_HOLDS):
        return
    engine: Engine = bind.sync_engine if hasattr(bind, "sync_engine") else bind  # type: ignore[assignment]
    if bind.dialect.name == "sqlite":
        lock = _LOCKS.setdefault(engine, asyncio.Lock())
    elif row is not None:
        turns = _ROWS.setdefault(engine, weakref.WeakValueDictionary())
        lock = turns.get(row) or turns.setdefault(row, asyncio.Lock())
    else:
        return
    await lock.acquire()
    session.sync_session.info[_HOLDS] = lock


def release(session: AsyncSession) -> None:
    """Give the turn back early (the transaction could not even begin)."""
    _release_held(session.sync_session)


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        _release_held(session)


def _release_held(session: Session) -> None:
    lock: Any = session.info.pop(_HOLDS, None)
    if lock is not None and lock.locked():
        lock.release()
