"""The daily privacy job: retention (anonymise old participant lists, delete old messages)
and the tombstone check (people erased before stay erased, also after a restored backup)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from bot.services.privacy.personal_data import enforce_tombstones
from bot.services.privacy.retention import apply_retention
from storage.engine import SessionPool
from storage.repositories import Repo

if TYPE_CHECKING:
    from scheduler.jobs import JobContext

logger = logging.getLogger(__name__)

RETENTION_JOB_ID = "privacy_retention"


async def privacy_check(pool: SessionPool, clock: Clock, settings: Settings) -> tuple[int, int]:
    """(rows past retention, people erased again): what one run did."""
    now = clock.now()
    async with pool() as session:
        repo = Repo(session)
        report = await apply_retention(repo, now=now, days=settings.retention_days)
        erased = await enforce_tombstones(repo, now=now, salt=settings.tombstone_salt)
    return report.total, erased


async def run_retention_job(ctx: JobContext) -> None:
    """Anonymise what is past its retention time, then erase again anyone tombstoned."""
    anonymised, erased = await privacy_check(ctx.session_pool, ctx.clock, ctx.settings)
    logger.info("privacy job: %s rows past retention, %s erased again", anonymised, erased)
