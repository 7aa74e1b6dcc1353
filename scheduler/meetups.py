"""The monthly job that proposes themed meetups for clusters of nearby initiatives."""

from __future__ import annotations

import logging

from bot.services.connections.meetups import propose_meetups
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

MEETUP_JOB_ID = "meetup_proposals"


async def run_meetup_proposals(ctx: JobContext) -> None:
    """Find this month's clusters and alert the coordinators (through the outbox)."""
    async with ctx.session_pool() as session:
        count = await propose_meetups(
            Repo(session),
            now=ctx.clock.now(),
            tz=ctx.settings.tz,
            coordinator_chat_id=ctx.settings.coordinator_chat_id,
        )
    logger.info("meetup proposal job: %s proposals", count)
