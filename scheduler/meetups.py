"""The monthly job that proposes themed meetups for clusters of nearby initiatives."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.services.connections.meetups import propose_meetups
from storage.repositories import Repo

if TYPE_CHECKING:
    from scheduler.jobs import JobContext

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
