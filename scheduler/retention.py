"""The daily privacy job: retention (anonymise old participant lists, delete old messages)
and the tombstone check (people erased before stay erased, also after a restored backup)."""

from __future__ import annotations

import logging

from bot.services.privacy.retention import privacy_check
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

RETENTION_JOB_ID = "privacy_retention"


async def run_retention_job(ctx: JobContext) -> None:
    """Anonymise what is past its retention time, then erase again anyone tombstoned."""
    async with ctx.session_pool() as session:
        anonymised, erased = await privacy_check(
            Repo(session),
            now=ctx.clock.now(),
            days=ctx.settings.retention_days,
            salt=ctx.settings.tombstone_salt,
        )
    logger.info("privacy job: %s rows past retention, %s erased again", anonymised, erased)
