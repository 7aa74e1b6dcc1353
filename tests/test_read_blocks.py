"""Read blocks: on PostgreSQL their statements run without BEGIN and COMMIT around them, and a
statement that writes or locks rows is refused there; a write block is one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from storage import engine
from storage.engine import WriteInReadBlockError, writes_or_locks
from storage.models import Initiative
from storage.repositories import Repo
from tests.initiatives_support import add_initiative


async def _in_transaction(repo: Repo) -> bool:
    """Whether the database connection has a transaction open right now."""
    raw = await (await repo.session.connection()).get_raw_connection()
    driver: Any = raw.driver_connection
    if repo.session.bind.dialect.name == "postgresql":
        return bool(driver.is_in_transaction())
    return bool(driver.in_transaction)


async def test_a_read_runs_without_a_transaction_and_a_write_in_one(
    repo: Repo, clock: FakeClock
) -> None:
    """On both databases: a read block sends no BEGIN (and so no COMMIT), each of its
    statements on its own; a write block is a transaction, and a read inside it part of it."""
    ident = (await add_initiative(repo, clock.now())).id
    async with repo.read():
        assert (await repo.initiatives.get(ident)) is not None
        assert await repo.search.version() == 1
        assert not await _in_transaction(repo)
    async with repo.write():
        await repo.session.execute(text("SELECT 1"))
        assert await _in_transaction(repo)
    # A read inside a write block is part of the write's transaction.
    async with repo.write(), repo.read():
        await repo.search.version()
        assert await _in_transaction(repo)


async def test_a_block_of_one_write_runs_without_a_transaction_on_postgresql(
    repo: Repo, clock: FakeClock
) -> None:
    """Its one statement that writes is a transaction of its own there: kept, with no BEGIN or
    COMMIT around it. A second write, or a lock, is refused, and a write block afterwards is
    an ordinary transaction again. On SQLite the block is a write block."""
    ident = (await add_initiative(repo, clock.now(), name="Moestuin De Bongerd")).id
    postgres = repo.session.bind.dialect.name == "postgresql"
    rename = text("UPDATE initiatives SET name = :name WHERE id = :id")
    async with repo.write_one():
        await repo.session.execute(rename, {"name": "De Bongerd", "id": ident})
        assert await _in_transaction(repo) is not postgres
        names = (await repo.session.execute(text("SELECT name FROM initiatives"))).scalars()
        assert list(names) == ["De Bongerd"]
    if postgres:
        with pytest.raises(WriteInReadBlockError):
            async with repo.write_one():
                await repo.session.execute(rename, {"name": "Een", "id": ident})
                await repo.session.execute(rename, {"name": "Twee", "id": ident})
        with pytest.raises(WriteInReadBlockError):
            async with repo.write_one():
                await repo.session.execute(
                    text("SELECT id FROM initiatives WHERE id = :id FOR UPDATE"), {"id": ident}
                )
        await repo.session.rollback()
        async with repo.read():  # a read block that follows may write nothing
            with pytest.raises(WriteInReadBlockError):
                await repo.session.execute(rename, {"name": "Drie", "id": ident})
        await repo.session.rollback()
    async with repo.write():
        await repo.session.execute(text("SELECT 1"))
        assert await _in_transaction(repo)
    async with repo.read():
        names = (await repo.session.execute(text("SELECT name FROM initiatives"))).scalars()
        assert list(names) == ["Een" if postgres else "De Bongerd"]


async def test_a_write_in_a_read_block_is_refused_and_nothing_is_kept(
    repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now(), name="Moestuin De Bongerd")).id
    with pytest.raises(WriteInReadBlockError):
        async with repo.read():
            await repo.session.execute(
                text("UPDATE initiatives SET name = 'Iets anders' WHERE id = :id"), {"id": ident}
            )
    with pytest.raises(WriteInReadBlockError):
        async with repo.read():
            await repo.session.execute(
                text("SELECT id FROM initiatives WHERE id = :id FOR UPDATE"), {"id": ident}
            )
    # An object changed in a read block is not written when the block ends.
    with pytest.raises(WriteInReadBlockError):
        async with repo.read():
            found = await repo.session.get(Initiative, ident)
            assert found is not None
            found.name = "Iets anders"
    await repo.session.rollback()
    async with repo.read():
        names = (await repo.session.execute(text("SELECT name FROM initiatives"))).scalars()
        assert list(names) == ["Moestuin De Bongerd"]


async def test_the_published_initiatives_are_read_a_batch_at_a_time_in_a_read_block(
    repo: Repo, clock: FakeClock
) -> None:
    made = [
        (await add_initiative(repo, clock.now(), name=f"Initiatief {n}", status=status)).id
        for n, status in enumerate(["published"] * 3 + ["draft"] + ["published"] * 2)
    ]
    published = [ident for n, ident in enumerate(made) if n != 3]
    async with repo.read():
        batches = [batch async for batch in repo.search.published_row_batches(2)]
    assert all(0 < len(batch) <= 2 for batch in batches)
    assert [row[0] for batch in batches for row in batch] == published
    assert batches[0][0][2] == "Initiatief 0"


def test_whether_a_statement_writes_is_looked_at_once_and_remembered_within_bounds() -> None:
    update = "UPDATE initiatives SET name = 'Iets anders' WHERE id = 1"
    select = "SELECT id, name FROM initiatives WHERE id = 1"
    assert [writes_or_locks(update), writes_or_locks(update)] == [True, True]
    assert [writes_or_locks(select), writes_or_locks(select)] == [False, False]
    assert writes_or_locks("select id from initiatives where id = 1 for no key update")
    assert not writes_or_locks("SELECT id FROM updates_seen WHERE deleted = false")
    # A part of a WITH that writes makes the statement one that writes.
    assert writes_or_locks("WITH new_rows AS (INSERT INTO outbox (key) VALUES ($1)) SELECT 1")
    assert not writes_or_locks("WITH recent AS (SELECT id FROM outbox) SELECT id FROM recent")
    for n in range(10_000):
        writes_or_locks(f"SELECT {n}")
    assert len(engine._LOOKED_AT) <= engine._LOOKED_AT_MOST
    assert writes_or_locks(update) and not writes_or_locks(select)
