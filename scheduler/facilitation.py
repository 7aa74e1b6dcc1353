"""The facilitation job, every ten minutes: alerts the coordinators about tables within 72 hours
that still miss facilitators (once per table), ends the requests of tables that were called off
(telling whoever would lead them), and keeps each facilitator's own reminder and debrief at
their table's current time. Every step is idempotent (fixed outbox keys)."""

from __future__ import annotations

import logging

from bot.services.facilitation import escalation as facilitation_escalation
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

FACILITATION_JOB_ID = "facilitation"
INTERVAL_MINUTES = 10


async def run_facilitation_job(ctx: JobContext) -> None:
    now = ctx.clock.now()
    async with ctx.session_pool() as session:
        repo = Repo(session)
        alerted = await facilitation_escalation.escalate(
            repo, now=now, coordinator_chat_id=ctx.settings.coordinator_chat_id
        )
        closed = await facilitation_escalation.close_called_off(repo, now=now)
        scheduled = await facilitation_escalation.ensure_duty_messages(repo, now=now)
    logger.info(
        "facilitation job: %s tables alerted, %s requests closed, %s duty messages",
        alerted,
        closed,
        scheduled,
    )
