"""The APScheduler clock: one AsyncIOScheduler (UTC) that later features hang periodic jobs on.

The database, not APScheduler's job store, is the source of truth: jobs are registered with
fixed ids and `replace_existing`, so a restart never duplicates them.
"""

from __future__ import annotations

from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
