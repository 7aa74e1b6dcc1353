"""The job that passes on free seats close to the start that nobody is taking."""

from __future__ import annotations

from bot.services.events.seat_offers import pass_on_free_seats
from scheduler.context import JobContext
from storage.repositories import Repo

SEAT_OFFERS_JOB_ID = "free_seats_near_start"


async def run_seat_offers_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await pass_on_free_seats(Repo(session), now=ctx.clock.now())
