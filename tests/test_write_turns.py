"""Writes that name a busy row take turns in the process before they begin: on PostgreSQL two
at a time for the same row (one holds it, the next waits for it in the database), while one for
another row goes ahead (on SQLite every write waits its turn anyway); a row nobody holds or
waits for keeps nothing."""

from __future__ import annotations

import asyncio
import gc

from sqlalchemy import text

from storage import write_lock
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.delivery_helpers import add_user


async def test_writes_for_one_busy_row_take_turns_and_others_go_ahead(
    session_pool: SessionPool, repo: Repo
) -> None:
    postgres = session_pool.kw["bind"].dialect.name == "postgresql"
    for user_id in (1, 2):
        await add_user(repo, user_id)
    lock_row = "SELECT id FROM users WHERE id = :id" + (" FOR UPDATE" if postgres else "")
    turned: list[str] = []  # began their transaction
    locked: list[str] = []  # hold their row
    first_in, release = asyncio.Event(), asyncio.Event()

    async def write(name: str, user_id: int, hold: bool = False) -> None:
        async with session_pool() as session:
            repo = Repo(session)
            async with repo.write(busy_row=("users", user_id)):
                turned.append(name)
                await session.execute(text(lock_row), {"id": user_id})
                locked.append(name)
                if hold:
                    first_in.set()
                    await release.wait()

    first = asyncio.create_task(write("first", 1, hold=True))
    await asyncio.wait_for(first_in.wait(), 5)
    later = [
        asyncio.create_task(write(name, user_id))
        for name, user_id in (("second", 1), ("third", 1), ("other", 2))
    ]
    await asyncio.sleep(0.3)
    assert write_lock.ROW_TURNS == 2
    if postgres:  # the second waits for the row in the database, the third in the process
        assert (sorted(turned), locked) == (["first", "other", "second"], ["first", "other"])
    else:  # one writer at a time, whatever the row
        assert (turned, locked) == (["first"], ["first"])
    release.set()
    await asyncio.wait_for(asyncio.gather(first, *later), 10)
    if postgres:
        # Once the first commits, PostgreSQL gives the row to whichever of the two asks first:
        # the second, waiting for it, or the third, taking its turn then. It does not promise
        # that the one that waited longest wins that race.
        assert locked[:2] == ["first", "other"]
        assert sorted(locked[2:]) == ["second", "third"]
    else:  # first come, first served
        assert locked == ["first", "second", "third", "other"]
    gc.collect()
    engine = session_pool.kw["bind"].sync_engine
    assert len(write_lock._ROWS.get(engine, {})) == 0  # nothing kept for rows at rest


async def test_a_writer_learns_whether_others_were_at_the_row_when_it_asked() -> None:
    turns = write_lock.RowTurns()
    assert await turns.take() is False  # alone
    assert await turns.take() is True  # the first still holds its turn
    third = asyncio.create_task(turns.take())  # both turns are taken: it waits
    await asyncio.sleep(0)
    third.cancel()  # gave up waiting: no longer counted
    await asyncio.gather(third, return_exceptions=True)
    turns.release()
    turns.release()
    assert turns.writers == 0
    assert await turns.take() is False
