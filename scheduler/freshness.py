"""The daily freshness job: asks the members of profiles confirmed six months ago whether
they are still right (the messages go through the outbox)."""

from __future__ import annotations

import logging

from bot.services.initiatives.freshness import schedule_freshness_nudges
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

FRESHNESS_JOB_ID = "initiative_freshness"


async def run_freshness_job(ctx: JobContext) -> None:
    """Schedule "Klopt dit nog?" for every member of each due initiative, page by page."""
    now = ctx.clock.now()
    after: int | None = 0
    total = 0
    while after is not None:
        async with ctx.session_pool() as session:
            scheduled, after = await schedule_freshness_nudges(
                Repo(session), now=now, after_id=after
            )
        total += scheduled
    logger.info("freshness job scheduled %s nudges", total)
