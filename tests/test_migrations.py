"""Migrations: an empty database goes to the newest schema and back, and matches the models."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.base import Base, surrogate_key_tables
from storage.engine import create_engine, create_session_pool
from storage.models import Initiative, InitiativeMember, User
from storage.repositories import Repo
from tests.coordination_support import T0, add_initiative, add_user


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


async def _new_initiative_after_deleting_the_newest(repo: Repo) -> tuple[int, int]:
    await add_user(repo, 5001)
    await add_initiative(repo, [5001], name="Eerste")
    newest = await add_initiative(repo, [5001], name="Tweede")
    async with repo.write():
        found = await repo.initiatives.get(newest.id, for_update=True)
        assert found is not None
        await repo.initiatives.delete(found)
    after = await add_initiative(repo, [5001], name="Derde")
    return newest.id, after.id


async def test_a_deleted_initiatives_id_is_never_given_to_another(repo: Repo) -> None:
    """Old links (`?start=i_81`), QR codes and shared cards keep pointing at nothing, never at
    someone else's profile."""
    deleted, new = await _new_initiative_after_deleting_the_newest(repo)
    assert new > deleted


async def test_every_table_with_a_surrogate_key_never_reuses_ids_on_sqlite(
    database_url: str,
) -> None:
    """A database made by the migrations, with rows from before migration 0010: the rebuild
    keeps every row (no cascade from rebuilding a parent), every table with a surrogate key is
    AUTOINCREMENT afterwards, and a deleted id is not handed out again."""
    if not database_url.startswith("sqlite"):
        return  # PostgreSQL's sequences never go back; the test above covers it there
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0009_connections")
        pool = create_session_pool(engine)
        async with pool() as session:
            repo = Repo(session)
            await _user_of_that_time(repo, 5002)
            kept_id = await _initiative_of_that_time(repo, 5002, "Blijft")
            await _event_with_a_seat_of_that_time(repo, 5002)
        before = await _counts(engine)

        await migrate.upgrade(engine)

        assert await _counts(engine) == before
        async with engine.connect() as connection:
            schema = dict(
                (await connection.exec_driver_sql("SELECT name, sql FROM sqlite_master")).all()
            )
            enforced = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        assert enforced == 1
        for table in surrogate_key_tables(Base.metadata):
            assert "AUTOINCREMENT" in schema[table.name], table.name
        async with pool() as session:
            repo = Repo(session)
            assert (await repo.initiatives.get(kept_id)) is not None
            deleted, new = await _new_initiative_after_deleting_the_newest(repo)
        assert new > deleted
    finally:
        await engine.dispose()


async def _user_of_that_time(repo: Repo, user_id: int) -> None:
    """A person written with the columns the users table had then (today's model has more)."""
    async with repo.write():
        await repo.session.execute(
            insert(User.__table__).values(
                id=user_id, first_name="Bewoner", telegram_language="nl", role="resident",
                is_reachable=True, created_at=T0, last_seen_at=T0,
            )
        )  # fmt: skip


async def _initiative_of_that_time(repo: Repo, member: int, name: str) -> int:
    """An initiative written with the columns its table had then (today's model has more)."""
    table, members = Initiative.__table__, InitiativeMember.__table__
    async with repo.write():
        inserted = await repo.session.execute(
            insert(table)
            .values(
                name=name, description="Samen spullen repareren.", themes=["duurzaamheid"],
                municipality="Utrecht", status="published", keywords=[], created_at=T0,
                updated_at=T0, published_at=T0, last_confirmed_at=T0,
            )
            .returning(table.c.id)
        )  # fmt: skip
        initiative_id = int(inserted.scalar_one())
        await repo.session.execute(
            insert(members).values(
                initiative_id=initiative_id, user_id=member, role="owner", joined_at=T0
            )
        )
    return initiative_id


async def _event_with_a_seat_of_that_time(repo: Repo, user_id: int) -> None:
    """A table and one seat, written with the columns their tables had then (today's models
    have more, with defaults of their own)."""
    async with repo.write():
        event_id = await repo.session.scalar(
            text(
                "INSERT INTO events (kind, status, title, description, venue, address,"
                " municipality, capacity, starts_at, ends_at, reminder_offsets,"
                " facilitators_needed, facilitators_confirmed, version, created_at, updated_at)"
                " VALUES ('table', 'published', 'Samen aan tafel', '', 'De Pijler',"
                " 'Oudegracht 1', 'Utrecht', 10, :start, :end, '[]', 0, 0, 1, :now, :now)"
                " RETURNING id"
            ),
            {"start": T0, "end": T0 + timedelta(hours=2), "now": T0},
        )
        await repo.session.execute(
            text(
                "INSERT INTO registrations (event_id, user_id, status, late_cancellation,"
                " seat_count, created_at, updated_at)"
                " VALUES (:event, :user, 'confirmed', false, 1, :now, :now)"
            ),
            {"event": event_id, "user": user_id, "now": T0},
        )


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            table: (await connection.exec_driver_sql(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("users", "initiatives", "initiative_members", "events", "registrations")
        }
