"""The weekly digest job: every Monday morning it schedules the digests (the outbox sends them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.events.digest import schedule_weekly_digest
from storage.repositories import Repo

if TYPE_CHECKING:
    from scheduler.jobs import JobContext

DIGEST_JOB_ID = "weekly_digest"


async def run_weekly_digest(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await schedule_weekly_digest(Repo(session), now=ctx.clock.now())
