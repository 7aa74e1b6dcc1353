"""The query planner's statistics: gathered at every start and by a daily job, so that a
page of search results is read by the initiatives' keys, not by walking every published
initiative through an index that starts with the status (see `storage.repositories.planner`),
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.config import Settings
from bot.lifecycle import prepare_database
from scheduler.context import JobContext
from scheduler.jobs import PERIODIC_JOBS
from scheduler.upkeep import STATISTICS_JOB_ID, run_statistics_job
from storage.engine import create_engine, create_session_pool
from storage.models import Initiative
from storage.repositories import Repo

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _settings(url: str) -> Settings:
    return Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]


async def _add_initiatives(url: str, published: int, drafts: int) -> list[int]:
    rows = [
        {
            "name": f"Buurtmoestuin {n}", "description": "Samen groente telen.",
            "themes": ["voedsel"], "municipality": "Utrecht" if n % 2 else "Zeist",
            "status": "published" if n < published else "draft", "created_at": NOW,
            "updated_at": NOW, "published_at": NOW if n < published else None,
            "last_confirmed_at": NOW,
        }
        for n in range(published + drafts)
    ]  # fmt: skip
    engine = create_engine(url)
    try:
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            async with repo.write():
                added = await session.execute(insert(Initiative).returning(Initiative.id), rows)
                return list(added.scalars())
    finally:
        await engine.dispose()


async def _plan_and_rows(url: str, ids: list[int]) -> tuple[str, list[str]]:
    """How the database finds the rows of a page of results, and the names it returns."""
    engine = create_engine(url)
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    try:
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            async with repo.read():
                found = await repo.search.published(ids)
            names = [found[ident].name for ident in ids if ident in found]
            statement, parameters = next(s for s in seen if "FROM initiatives" in s[0])
            connection = await session.connection()
            explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
            plan = await connection.exec_driver_sql(explain + statement, parameters)
            steps = " | ".join(row[-1] for row in plan)
            await session.rollback()
    finally:
        await engine.dispose()
    return steps, names


async def _statistics_of_initiatives(url: str) -> list[str]:
    """What SQLite knows of the initiatives' indexes (rows of `sqlite_stat1`)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'"
            )
            if tables.first() is None:
                return []
            rows = await connection.exec_driver_sql(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'initiatives'"
            )
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


async def _daily_job(url: str) -> None:
    engine = create_engine(url)
    try:
        context = JobContext(create_session_pool(engine), FakeClock(NOW), _settings(url))
        await run_statistics_job(context)
    finally:
        await engine.dispose()


def _by_keys(plan: str) -> bool:
    """The rows are found by the primary key alone (SQLite, PostgreSQL)."""
    by_key = "USING INTEGER PRIMARY KEY" in plan or "pk_initiatives" in plan
    return by_key and "status" not in plan.split("Filter")[0]


async def test_a_page_of_results_is_read_by_its_keys_once_the_daily_job_ran(
    engine: AsyncEngine, database_url: str
) -> None:
    # A database that grew (large enough that PostgreSQL would not rather read it whole).
    ids = await _add_initiatives(database_url, published=4000, drafts=100)
    page = [ids[3], ids[2500], ids[4050], ids[77], ids[9]]  # the third is a draft

    await _daily_job(database_url)
    plan, names = await _plan_and_rows(database_url, page)

    assert _by_keys(plan), plan
    assert names == ["Buurtmoestuin 3", "Buurtmoestuin 2500", "Buurtmoestuin 77", "Buurtmoestuin 9"]


async def test_a_start_gathers_the_statistics_of_a_database_that_has_none(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'older.db'}"
    await prepare_database(_settings(url), demo_data=False)
    ids = await _add_initiatives(url, published=300, drafts=0)
    before = await _statistics_of_initiatives(url)

    await prepare_database(_settings(url), demo_data=False)  # the next start
    plan, names = await _plan_and_rows(url, ids[:5])

    assert before == []  # the table was empty at the first start: nothing to go by
    assert await _statistics_of_initiatives(url) != []
    assert _by_keys(plan), plan
    assert names == [f"Buurtmoestuin {n}" for n in range(5)]


def test_the_statistics_job_runs_daily() -> None:
    job = next(job for job in PERIODIC_JOBS if job.id == STATISTICS_JOB_ID)
    fires = job.trigger.get_next_fire_time(None, NOW)
    assert fires is not None and (fires.hour, fires.minute) == (4, 0)
