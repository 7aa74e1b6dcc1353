"""Retention: a configurable time after an event its participant list and debriefs lose their
names (the counts stay), old delivered messages go, and the daily job logs only counts."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.config import Settings
from scheduler.context import JobContext
from scheduler.jobs import PERIODIC_JOBS
from scheduler.retention import RETENTION_JOB_ID, run_retention_job
from storage.engine import SessionPool
from storage.models import Certificate, Debrief, OutboxMessage, Registration
from storage.repositories import Repo
from tests.coordination_support import T0, add_event, add_user, register
from tests.privacy_support import _outbox


async def _world(repo: Repo) -> tuple[int, int]:
    for user_id, name in ((5_100_001, "Zwaantje"), (5_100_002, "Bram")):
        await add_user(repo, user_id, first_name=name)
    old = await add_event(repo, starts_at=T0 - timedelta(days=100), status="completed")
    recent = await add_event(repo, starts_at=T0 - timedelta(days=30), status="completed")
    for event in (old, recent):
        await register(repo, event.id, 5_100_001, "attended")
        await register(repo, event.id, 5_100_002, "no_show")
    async with repo.write():
        for event in (old, recent):
            repo.session.add(
                Debrief(
                    event_id=event.id, facilitator_id=5_100_002, participants=7, submitted_at=T0
                )
            )
        repo.session.add(
            Certificate(user_id=5_100_001, level="basis", event_id=old.id, granted_at=T0)
        )
        sent = _outbox("reminder:old", 5_100_001, {"event_id": old.id})
        sent.status, sent.updated_at = "sent", T0 - timedelta(days=99)
        repo.session.add(sent)
        repo.session.add(_outbox("reminder:new", 5_100_001, {"event_id": recent.id}))
    return old.id, recent.id


async def _people(repo: Repo, event_id: int) -> list[int | None]:
    result = await repo.session.scalars(
        select(Registration.user_id).where(Registration.event_id == event_id)
    )
    people: list[int | None] = sorted(result, key=lambda value: value or 0)
    await repo.session.commit()
    return people


async def test_participants_lose_their_names_ninety_days_after_the_event(
    repo: Repo,
    session_pool: SessionPool,
    clock: FakeClock,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    old, recent = await _world(repo)
    context = JobContext(session_pool, clock, settings)

    with caplog.at_level(logging.DEBUG):
        await run_retention_job(context)

    assert await _people(repo, old) == [None, None]
    assert await _people(repo, recent) == [5_100_001, 5_100_002]
    debriefs = await repo.session.execute(
        select(Debrief.event_id, Debrief.facilitator_id, Debrief.participants).order_by(
            Debrief.event_id
        )
    )
    assert debriefs.all() == [(old, None, 7), (recent, 5_100_002, 7)]
    certificate = await repo.session.scalar(select(Certificate))
    assert certificate is not None and certificate.event_id is None
    assert certificate.user_id == 5_100_001  # the certificate itself stays with its owner
    keys = set(await repo.session.scalars(select(OutboxMessage.key)))
    assert keys == {"reminder:new"}
    # Counts only, no ids or names.
    messages = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "scheduler"))]
    assert (
        "retention: 4 rows anonymised (certificates=1, debriefs=1, registrations=2, "
        "table_feedback=0), "
        "1 old messages deleted" in messages
    )
    assert not any("5100001" in m or "Zwaantje" in m for m in messages)


async def test_retention_days_are_configurable_and_a_second_run_changes_nothing(
    repo: Repo, session_pool: SessionPool, clock: FakeClock, settings: Settings
) -> None:
    old, recent = await _world(repo)
    context = JobContext(session_pool, clock, settings.model_copy(update={"retention_days": 20}))
    year = (T0 - timedelta(days=365), T0)
    assert await repo.stats.participants(*year) == 2
    await repo.session.commit()

    await run_retention_job(context)
    await run_retention_job(context)

    assert await _people(repo, old) == [None, None]
    assert await _people(repo, recent) == [None, None]
    count = await repo.session.scalar(select(func.count()).select_from(Registration))
    assert count == 4  # the figures keep every sign-up
    # Two people at two tables: once anonymised they can no longer be told apart.
    assert await repo.stats.participants(*year) == 4


async def test_the_job_only_runs_after_the_event_has_aged(
    repo: Repo, session_pool: SessionPool, clock: FakeClock, settings: Settings
) -> None:
    await add_user(repo, 5_100_003, first_name="Wim")
    event = await add_event(repo, starts_at=T0 + timedelta(days=1))
    await register(repo, event.id, 5_100_003)
    context = JobContext(session_pool, clock, settings)

    clock.advance(timedelta(days=90))
    await run_retention_job(context)
    assert await _people(repo, event.id) == [5_100_003]

    clock.advance(timedelta(days=2))
    await run_retention_job(context)
    assert await _people(repo, event.id) == [None]


def test_the_privacy_job_runs_daily() -> None:
    job = next(job for job in PERIODIC_JOBS if job.id == RETENTION_JOB_ID)
    assert str(job.trigger) == "cron[hour='3']"
