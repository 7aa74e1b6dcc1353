"""What the facilitation job does every ten minutes: alert the coordinators once about each table
within 72 hours that misses facilitators, end the requests of tables that were called off
(telling whoever would lead them), and keep each facilitator's own reminder and debrief question
at their table's current time. Every step is idempotent (fixed outbox keys)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.coordination import alerts
from bot.services.facilitation.requests import schedule_duty_messages
from bot.services.message_params import RequestParams, TableParams
from storage.models import Event, FacilitationRequest
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# A table this close without its facilitators is an alert for the coordinators.
ESCALATE_WITHIN = timedelta(hours=72)


async def escalate(repo: Repo, *, now: datetime, coordinator_chat_id: int | None) -> int:
    """Alert the coordinators once about every table within 72 hours that still misses
    facilitators; returns how many tables were newly alerted. Idempotent."""
    async with repo.write():
        alerted = 0
        for event in await repo.facilitation.tables_missing_facilitators(
            now, now + ESCALATE_WITHIN
        ):
            added = await alerts.alert_coordinators(
                repo,
                key=f"facmissing:{event.id}",
                kind="facilitation.missing",
                params=TableParams(event_id=event.id),
                now=now,
                coordinator_chat_id=coordinator_chat_id,
            )
            alerted += 1 if added else 0
    if alerted:
        logger.info("alerted the coordinators about %s tables without facilitators", alerted)
    return alerted


async def ensure_duty_messages(repo: Repo, *, now: datetime) -> int:
    """Make sure everyone who leads a table has the reminder before it and the debrief after
    it at the table's current time (a table that moved gets new ones); idempotent."""
    async with repo.write():
        added = 0
        for request, event in await repo.facilitation.accepted_upcoming(now):
            added += await schedule_duty_messages(repo, request, event, now=now)
    return added


async def close_called_off(repo: Repo, *, now: datetime) -> int:
    """Requests for tables that were called off end; whoever would lead one is told. (Calling
    off does this itself at once; this job catches what a crash in between left.)"""
    async with repo.write():
        return await close_requests(repo, await repo.facilitation.active_for_called_off(), now)


async def close_requests(repo: Repo, requests: list[FacilitationRequest], now: datetime) -> int:
    """End these requests of a called-off table, in the caller's transaction: the requests and
    reminders are withdrawn, and whoever said yes is told at once."""
    closed = 0
    for request in requests:
        was = request.status
        if not await repo.facilitation.set_status(request.id, was, "cancelled", now):
            continue
        await outbox.cancel_subject(repo, f"facreq:{request.id}", now=now)
        await outbox.cancel_subject(repo, f"facduty:{request.id}", now=now)
        if was == "accepted":
            await outbox.schedule(
                repo, key=f"faccancel:{request.id}", recipient_id=request.facilitator_id,
                kind="facilitation.called_off", params=TableParams(event_id=request.event_id),
                due_at=now, now=now, subject=f"faccancel:{request.id}", urgent=True,
            )  # fmt: skip
        closed += 1
    return closed


async def ask_facilitators_about_new_moment(repo: Repo, event: Event, *, now: datetime) -> int:
    """The table moved (time or place): whoever leads it hears it at once and is asked
    whether they can still come; the coordinators see who confirmed. Returns how many."""
    asked = 0
    for request in await repo.facilitation.accepted_for(event.id):
        asked += int(
            await outbox.schedule(
                repo,
                key=f"facmoved:{request.id}:{event.version}",
                recipient_id=request.facilitator_id,
                kind="facilitation.moved",
                params=RequestParams(request_id=request.id, version=event.version),
                due_at=now,
                now=now,
                subject=f"facmoved:{request.id}",
                urgent=True,
            )
        )
    return asked
