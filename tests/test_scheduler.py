"""The clock: jobs registered with fixed ids, so a restart never runs them twice."""

from __future__ import annotations

from aiogram import Bot

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from scheduler.context import JobContext
from scheduler.jobs import DELIVERY_JOB_ID, PERIODIC_JOBS, register_jobs
from scheduler.setup import build_scheduler
from storage.engine import SessionPool
from tests.delivery_helpers import make_sender


async def test_registering_jobs_twice_keeps_one_of_each(
    bot: Bot, session_pool: SessionPool, clock: FakeClock, i18n: CatalogI18n, settings: Settings
) -> None:
    scheduler = build_scheduler()
    sender = make_sender(bot, session_pool, clock, i18n, settings)
    context = JobContext(session_pool, clock, settings)
    scheduler.start(paused=True)
    try:
        register_jobs(scheduler, context, sender)
        register_jobs(scheduler, context, sender)
        ids = sorted(job.id for job in scheduler.get_jobs())
    finally:
        scheduler.shutdown(wait=False)
    assert ids == sorted([DELIVERY_JOB_ID, *(job.id for job in PERIODIC_JOBS)])
    assert len(ids) == len(set(ids))
