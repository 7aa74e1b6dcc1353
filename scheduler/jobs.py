"""The periodic jobs and how they are registered on the scheduler.

A feature adds its job to PERIODIC_JOBS: a fixed id (so a restart replaces it instead of adding
a second one), a trigger, and an async function that gets a JobContext and calls bot.services.
The delivery job is special: it drives the sender, which the app builds with the Bot.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import Sender
from scheduler.broadcasts import BROADCAST_JOB_ID, INTERVAL_SECONDS, run_broadcast_progress
from scheduler.certificates import CERTIFICATE_JOB_ID, run_certificate_job
from scheduler.context import JobContext
from scheduler.digest import DIGEST_JOB_ID, run_weekly_digest
from scheduler.facilitation import FACILITATION_JOB_ID, run_facilitation_job
from scheduler.feedback import FEEDBACK_JOB_ID, run_feedback_job
from scheduler.freshness import FRESHNESS_JOB_ID, run_freshness_job
from scheduler.meetups import MEETUP_JOB_ID, run_meetup_proposals
from scheduler.retention import RETENTION_JOB_ID, run_retention_job
from scheduler.rota import POLL_JOB_ID, ROTA_JOB_ID, run_poll_job, run_rota_job
from scheduler.seat_offers import SEAT_OFFERS_JOB_ID, run_seat_offers_job
from scheduler.upkeep import STATISTICS_JOB_ID, run_statistics_job

logger = logging.getLogger(__name__)

DELIVERY_JOB_ID = "delivery"


JobFunction = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    id: str
    func: JobFunction
    trigger: BaseTrigger


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(FRESHNESS_JOB_ID, run_freshness_job, CronTrigger(hour=7, timezone=UTC)),
    PeriodicJob(MEETUP_JOB_ID, run_meetup_proposals, CronTrigger(day=1, hour=8, timezone=UTC)),
    PeriodicJob(RETENTION_JOB_ID, run_retention_job, CronTrigger(hour=3, timezone=UTC)),
    PeriodicJob(STATISTICS_JOB_ID, run_statistics_job, CronTrigger(hour=4, timezone=UTC)),
    PeriodicJob(CERTIFICATE_JOB_ID, run_certificate_job, CronTrigger(hour=9, timezone=UTC)),
    PeriodicJob(POLL_JOB_ID, run_poll_job, CronTrigger(day=15, hour=9, timezone=UTC)),
    PeriodicJob(ROTA_JOB_ID, run_rota_job, CronTrigger(day=22, hour=9, timezone=UTC)),
    PeriodicJob(
        DIGEST_JOB_ID, run_weekly_digest, CronTrigger(day_of_week="mon", hour=8, timezone=UTC)
    ),
    PeriodicJob(
        BROADCAST_JOB_ID,
        run_broadcast_progress,
        IntervalTrigger(seconds=INTERVAL_SECONDS, timezone=UTC),
    ),
    PeriodicJob(
        FACILITATION_JOB_ID, run_facilitation_job, IntervalTrigger(minutes=10, timezone=UTC)
    ),
    PeriodicJob(FEEDBACK_JOB_ID, run_feedback_job, IntervalTrigger(minutes=30, timezone=UTC)),
    PeriodicJob(SEAT_OFFERS_JOB_ID, run_seat_offers_job, IntervalTrigger(minutes=15, timezone=UTC)),
]


def register_jobs(scheduler: AsyncIOScheduler, context: JobContext, sender: Sender) -> None:
    """Put the delivery tick and every periodic job on the scheduler (idempotent by id)."""
    scheduler.add_job(
        sender.tick,
        IntervalTrigger(seconds=1, timezone=UTC),
        id=DELIVERY_JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    for job in PERIODIC_JOBS:
        scheduler.add_job(
            _logged(job),
            job.trigger,
            id=job.id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            kwargs={"context": context},
        )


def _logged(job: PeriodicJob) -> Callable[..., Awaitable[None]]:
    async def run(context: JobContext) -> None:
        try:
            await job.func(context)
        except Exception:
            logger.exception("periodic job %s failed", job.id)

    run.__name__ = f"job_{job.id}"
    return run


async def run_jobs_that_came_due(
    context: JobContext, since: datetime, until: datetime
) -> list[str]:
    """Run, once each, the periodic jobs whose trigger fired in (since, until]: what the
    scheduler would have done while the clock moved (it coalesces missed runs the same way).
    Returns the ids of the jobs that ran."""
    ran = []
    for job in PERIODIC_JOBS:
        fire = job.trigger.get_next_fire_time(None, since + timedelta(microseconds=1))
        if fire is None or fire > until:
            continue
        await _logged(job)(context)
        ran.append(job.id)
    return ran
