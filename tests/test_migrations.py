"""Migrations: an empty database goes to the newest schema and back, and matches the models."""

from __future__ import annotations

import asyncio
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.base import Base
from storage.engine import create_engine


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_upgrade_to_head_and_downgrade_to_base(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")

        await migrate.upgrade(engine)
        assert set(Base.metadata.tables) <= await _tables(engine)

        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert differences == [], "the migrations do not match the models"

        await migrate.downgrade(engine)
        assert await _tables(engine) <= {"alembic_version"}
    finally:
        await engine.dispose()


async def test_processes_starting_together_on_an_empty_database_all_migrate(
    database_url: str,
) -> None:
    """Several processes start at once on an empty database: they take turns on the migration
    (an advisory lock on PostgreSQL, SQLite's write lock), none of them crashes."""
    if database_url.startswith("postgresql"):
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        base = make_url(database_url)
        name = f"{base.database}_migrate_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base.render_as_string(hide_password=False))
        async with admin.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, ""
        url = database_url.replace("samenspel.db", "racing.db")
    engines = [create_engine(url) for _ in range(4)]
    try:
        await asyncio.gather(*(migrate.upgrade(engine) for engine in engines))
        assert "events" in await _tables(engines[0])
    finally:
        for engine in engines:
            await engine.dispose()
        if admin is not None:
            async with admin.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text(f'DROP DATABASE "{name}"'))
            await admin.dispose()
