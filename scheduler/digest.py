"""The weekly digest job: every Monday morning it schedules the digests (the outbox sends them)."""

from __future__ import annotations

from bot.services.events.digest import schedule_weekly_digest
from scheduler.context import JobContext
from storage.repositories import Repo

DIGEST_JOB_ID = "weekly_digest"


async def run_weekly_digest(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await schedule_weekly_digest(Repo(session), now=ctx.clock.now())
