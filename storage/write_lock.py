"""One writer at a time per SQLite database, queued in the event loop.

SQLite lets one transaction write at a time. Left to SQLite, waiting writers poll the lock with
growing sleeps (its busy handler), which wastes time and makes waits long and uneven. Within a
process we queue them on an asyncio.Lock instead: fair (first come, first served) and without
polling. The lock is taken when a write transaction begins and released when it ends (commit,
rollback or close). SQLite's own lock, with its busy timeout, still guards against other processes.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_LOCKS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()
_HOLDS = "samenspel_holds_write_lock"


async def acquire(session: AsyncSession) -> None:
    """Wait for this database's write turn; released when the session's transaction ends."""
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite" or session.sync_session.info.get(_HOLDS):
        return
    engine = bind.sync_engine if hasattr(bind, "sync_engine") else bind
    lock = _LOCKS.setdefault(engine, asyncio.Lock())  # type: ignore[arg-type]
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
