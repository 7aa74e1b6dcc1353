"""The monthly availability poll (mid-month) and, a week later, the rota it proposes to the
coordinators, both about next month."""

from __future__ import annotations

from bot.services.facilitation.rota import propose_rota, send_polls
from scheduler.context import JobContext
from storage.repositories import Repo

POLL_JOB_ID = "availability_poll"
ROTA_JOB_ID = "rota_proposal"


async def run_poll_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await send_polls(Repo(session), now=ctx.clock.now(), tz=ctx.settings.tz)


async def run_rota_job(ctx: JobContext) -> None:
    async with ctx.session_pool() as session:
        await propose_rota(
            Repo(session),
            now=ctx.clock.now(),
            tz=ctx.settings.tz,
            coordinator_chat_id=ctx.settings.coordinator_chat_id,
        )
