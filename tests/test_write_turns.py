"""Writes that name a busy row take turns in the process before they begin: on PostgreSQL one
for the same row waits and one for another row goes ahead (on SQLite every write waits its turn
anyway), and a row nobody holds or waits for keeps nothing."""

from __future__ import annotations

import asyncio
import gc

from sqlalchemy import text

from storage import write_lock
from storage.engine import SessionPool
from storage.repositories import Repo


async def test_writes_for_one_busy_row_take_turns_and_others_go_ahead(
    session_pool: SessionPool,
) -> None:
    entered: list[str] = []
    first_in, release = asyncio.Event(), asyncio.Event()

    async def write(name: str, row: tuple[str, int], hold: bool = False) -> None:
        async with session_pool() as session:
            repo = Repo(session)
            async with repo.write(busy_row=row):
                await session.execute(text("SELECT 1"))
                entered.append(name)
                if hold:
                    first_in.set()
                    await release.wait()

    first = asyncio.create_task(write("first", ("event", 1), hold=True))
    await asyncio.wait_for(first_in.wait(), 5)
    same = asyncio.create_task(write("same row", ("event", 1)))
    other = asyncio.create_task(write("other row", ("event", 2)))
    await asyncio.sleep(0.3)
    postgres = session_pool.kw["bind"].dialect.name == "postgresql"
    # On SQLite the database has one writer at a time, whatever the row.
    assert entered == (["first", "other row"] if postgres else ["first"])
    release.set()
    await asyncio.wait_for(asyncio.gather(first, same, other), 10)
    # Turns are first come, first served.
    later = ["other row", "same row"] if postgres else ["same row", "other row"]
    assert entered == ["first", *later]
    gc.collect()
    engine = session_pool.kw["bind"].sync_engine
    assert len(write_lock._ROWS.get(engine, {})) == 0  # nothing kept for rows at rest
