"""Broadcasts: compose → preview (a draft row with its audience) → confirm → delivery through
the outbox → progress and report.

Confirming moves the draft to "sending" with an atomic conditional UPDATE and writes one outbox
row per recipient (key `broadcast:<id>:<user>`) in the same transaction, so confirming twice
sends once and a restart continues from the rows still pending. The periodic progress job
(`broadcast_progress.tick`) reads the outcome of those rows; when none is left it finishes
the broadcast and schedules the report for the coordinator.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.quiet_hours import quiet_hours_end
from bot.services import outbox
from bot.services.coordination import audit
from bot.services.coordination.audience import is_empty
from bot.services.coordination.errors import CoordinationError
from bot.services.message_params import BroadcastParams
from storage.models import Broadcast, BroadcastStatus, EventStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)

KIND = "broadcast"
REPORT_KIND = "broadcast.report"
MAX_TEXT = 3800  # Telegram allows 4096 characters; leave room for entities turned into HTML
_URL_RE = re.compile(r"^(https?://|tg://)[^\s<>\"]+$")


class BroadcastError(CoordinationError):
    """A broadcast that cannot be made as asked; the subclass says why."""


class EmptyTextError(BroadcastError):
    pass


class TextTooLongError(BroadcastError):
    pass


class BadButtonError(BroadcastError):
    pass


class UnknownEventError(BroadcastError):
    pass


class EmptyAudienceError(BroadcastError):
    pass


class BroadcastNotFoundError(BroadcastError):
    pass


def subject(broadcast_id: int) -> str:
    return f"broadcast:{broadcast_id}"


def check_text(html_text: str) -> str:
    text = html_text.strip()
    if not text:
        raise EmptyTextError
    if len(text) > MAX_TEXT:
        raise TextTooLongError(str(len(text)))
    return text


def parse_link_button(typed: str) -> tuple[str, str]:
    """ "Label | https://…" (or just the link) → (label, url)."""
    label, _bar, url = typed.rpartition("|")
    url = url.strip()
    label = label.strip() or "🔗"
    if not _URL_RE.match(url) or len(url) > 300 or len(label) > 64:
        raise BadButtonError(typed)
    return label, url


async def check_event(repo: Repo, event_id: int) -> str:
    """The title of a published event a button or an audience may point at."""
    async with repo.read():
        event = await repo.events.get(event_id)
    if event is None or event.status not in (EventStatus.PUBLISHED, EventStatus.COMPLETED):
        raise UnknownEventError(str(event_id))
    return event.title


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    audience: dict[str, Any]
    button_text: str | None = None
    button_url: str | None = None
    button_event_id: int | None = None


async def create_draft(
    repo: Repo, draft: Draft, *, actor_id: int, now: datetime
) -> tuple[Broadcast, int]:
    """Store the draft for its preview; returns it with the number of recipients right now."""
    if is_empty(draft.audience):
        raise EmptyAudienceError
    async with repo.write():
        broadcast = await repo.broadcasts.add(
            Broadcast(
                created_by=actor_id,
                created_at=now,
                text=draft.text,
                button_text=draft.button_text,
                button_url=draft.button_url,
                button_event_id=draft.button_event_id,
                audience=draft.audience,
                status=BroadcastStatus.DRAFT,
                urgent=False,
                recipients=0,
                progress_shown=0,
            )
        )
        count = len(await repo.broadcasts.audience_ids(draft.audience))
        broadcast.recipients = count
    return broadcast, count


@dataclass(frozen=True, slots=True)
class Confirmed:
    broadcast: Broadcast
    started: bool  # False: it had been confirmed (or cancelled) before; nothing new was sent


def waits_for_quiet_hours(broadcast: Broadcast, *, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When a broadcast started `now` begins to go out: None at once (urgent, or outside the
    quiet hours), else the end of the quiet hours."""
    return None if broadcast.urgent else quiet_hours_end(now, tz)


async def confirm(
    repo: Repo, broadcast_id: int, *, actor_id: int, urgent: bool, now: datetime
) -> Confirmed:
    """Send the draft: one outbox row per recipient of this moment, in one transaction."""
    async with repo.write():
        started = await repo.broadcasts.start_sending(broadcast_id, urgent=urgent, now=now)
        broadcast = await repo.broadcasts.get(broadcast_id)
        if broadcast is None:
            raise BroadcastNotFoundError(str(broadcast_id))
        if not started:
            return Confirmed(broadcast, False)
        # Who opted out between the preview and now is counted and reported as skipped,
        # instead of silently missing from the figures the coordinator saw.
        recipients = await repo.broadcasts.audience_ids(
            broadcast.audience, opted_out_since=broadcast.created_at
        )
        for user_id in recipients:
            await outbox.schedule(
                repo,
                key=f"broadcast:{broadcast_id}:{user_id}",
                recipient_id=user_id,
                kind=KIND,
                params=BroadcastParams(broadcast_id=broadcast_id),
                due_at=now,
                now=now,
                subject=subject(broadcast_id),
                urgent=urgent,
            )
        broadcast.recipients = len(recipients)
        broadcast.progress_at = now
        await audit.record(
            repo,
            actor_id=actor_id,
            action="broadcast.send",
            target=f"broadcast:{broadcast_id}",
            details={
                "audience": broadcast.audience,
                "recipients": len(recipients),
                "urgent": urgent,
            },
            now=now,
        )
    logger.info("broadcast %s confirmed for %s recipients", broadcast_id, len(recipients))
    return Confirmed(broadcast, True)


async def cancel(
    repo: Repo, broadcast_id: int, *, actor_id: int, now: datetime
) -> tuple[bool, str | None]:
    """Drop a draft. Returns (cancelled now, the status it has) — a status of None: unknown."""
    async with repo.write():
        cancelled = await repo.broadcasts.cancel_draft(broadcast_id)
        broadcast = await repo.broadcasts.get(broadcast_id)
        status = broadcast.status if broadcast is not None else None
        if cancelled:
            await audit.record(
                repo,
                actor_id=actor_id,
                action="broadcast.cancel",
                target=f"broadcast:{broadcast_id}",
                now=now,
            )
    return cancelled, status


async def attach_progress(repo: Repo, broadcast_id: int, *, chat_id: int, message_id: int) -> None:
    """Remember the message that shows the progress, so the progress job can edit it."""
    async with repo.write():
        broadcast = await repo.broadcasts.get(broadcast_id, for_update=True)
        if broadcast is not None and broadcast.progress_message_id is None:
            broadcast.progress_chat_id = chat_id
            broadcast.progress_message_id = message_id
