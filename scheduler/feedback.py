"""The job that asks participants of tables that ended two hours ago how the talk was."""

from __future__ import annotations

import logging

from bot.services.events.feedback import ask_for_feedback
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

FEEDBACK_JOB_ID = "table_feedback"


async def run_feedback_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        asked = await ask_for_feedback(Repo(session), now=ctx.clock.now())
    if asked:
        logger.info("feedback job: %s participants asked how the table was", asked)
