"""SQLite as several processes use it: everyone opening a new database file at the same moment
gets a working connection in WAL mode (SQLite answers "locked" to all but one of the
simultaneous switches to WAL, without waiting for the busy timeout)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from storage.engine import create_engine

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
