"""The daily job that tells facilitators their certificate lapses within 60 days."""

from __future__ import annotations

import logging

from bot.services.facilitation.renewals import nudge_lapsing
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

CERTIFICATE_JOB_ID = "certificate_renewals"


async def run_certificate_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        scheduled = await nudge_lapsing(Repo(session), now=ctx.clock.now())
    logger.info("certificate job: %s reminders of lapsing certificates", scheduled)
