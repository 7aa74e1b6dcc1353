"""The daily upkeep of the database: the query planner's statistics follow the data as it
grows (a bot that started empty has thousands of initiatives a while later)."""

from __future__ import annotations

import logging

from bot.services.database_upkeep import refresh_planner_statistics
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

STATISTICS_JOB_ID = "planner_statistics"


async def run_statistics_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await refresh_planner_statistics(Repo(session))
    logger.info("database statistics gathered again")
