"""Applying the Alembic migrations to a database, from the CLI or from tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.engine import SQLITE_BEGIN_OPTION

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Any fixed number: the PostgreSQL advisory lock that migrations of this database take.
_MIGRATION_LOCK = 0x5A3E_5E1


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision` (the newest by default). Processes starting at the same
    moment take turns: the first migrates, the others then find nothing left to do."""
    async with _one_at_a_time(engine) as connection:
        await connection.run_sync(_run_command, "upgrade", revision)


async def stamp(engine: AsyncEngine, revision: str = "head") -> None:
    """Record that the database is at `revision` without running anything (a schema made from
    the models, as the benchmarks do)."""
    async with _one_at_a_time(engine) as connection:
        await connection.run_sync(_run_command, "stamp", revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with _one_at_a_time(engine) as connection:
        await connection.run_sync(_run_command, "downgrade", revision)


@asynccontextmanager
async def _one_at_a_time(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that holds the database's migration lock until it ends: an advisory
    transaction lock on PostgreSQL, the write lock taken up front (BEGIN IMMEDIATE) on SQLite.

    On SQLite the foreign keys are not enforced while migrating (the way SQLite's own manual
    rebuilds a table: dropping the old copy of a parent must not cascade into its children);
    they are checked before the migration commits and enforced again afterwards."""
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            await connection.run_sync(_sqlite_foreign_keys, False)
            await connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        try:
            async with connection.begin():
                if engine.dialect.name == "postgresql":
                    lock = text("SELECT pg_advisory_xact_lock(:key)")
                    await connection.execute(lock, {"key": _MIGRATION_LOCK})
                else:
                    # SQLite sends a BEGIN with the transaction's first statement: this one, so
                    # the write lock is held before any migration code runs.
                    await connection.execute(text("SELECT 1"))
                yield connection
                if engine.dialect.name == "sqlite":
                    await _check_foreign_keys(connection)
        finally:
            if engine.dialect.name == "sqlite":
                await connection.run_sync(_sqlite_foreign_keys, True)


def _sqlite_foreign_keys(connection: Connection, enforced: bool) -> None:
    """Outside a transaction (SQLite ignores this pragma inside one), on the driver directly."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
    finally:
        cursor.close()


async def _check_foreign_keys(connection: AsyncConnection) -> None:
    broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"the migration left rows without their parent in {tables}")


def _run_command(connection: Connection, name: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, name)(config, revision)
