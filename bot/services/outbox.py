"""The delivery engine's service API: the one way features schedule, move and cancel messages.

None of these commit: they run inside the use-case that causes them (a sign-up writes its
reminders), so the change and its messages are stored together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from storage.models import OutboxMessage
from storage.repositories import Repo


async def schedule(
    repo: Repo,
    *,
    key: str,
    recipient_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    params: Mapping[str, object] | None = None,
    subject: str | None = None,
    urgent: bool = False,
) -> bool:
    """Schedule a message of `kind` for `recipient_id` at `due_at` (UTC).

    `key` is unique for all time (e.g. "reminder:24h:registration:42"): scheduling the same key
    again is a no-op and returns False, even after the first was sent or cancelled. `subject`
    groups messages that move or are cancelled together (e.g. "registration:42").
    """
    return await repo.outbox.add(
        key=key,
        recipient_id=recipient_id,
        kind=kind,
        params=dict(params or {}),
        due_at=due_at,
        subject=subject,
        urgent=urgent,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class Message:
    """One message to schedule with `schedule_all` (the arguments of `schedule`)."""

    key: str
    recipient_id: int
    kind: str
    due_at: datetime
    params: Mapping[str, object] = field(default_factory=dict)
    subject: str | None = None
    urgent: bool = False


async def schedule_all(repo: Repo, messages: list[Message], *, now: datetime) -> int:
    """Schedule several messages in one statement (a sign-up's reminders); as `schedule` for
    each, keys already used are left out. Returns how many were new."""
    return await repo.outbox.add_many(rows_of(messages), now=now)


def rows_of(messages: list[Message]) -> list[dict[str, object]]:
    """The messages as the outbox stores them (see `OutboxRepository.add_many`)."""
    return [
        {
            "key": m.key,
            "recipient_id": m.recipient_id,
            "kind": m.kind,
            "params": dict(m.params),
            "due_at": m.due_at,
            "subject": m.subject,
            "urgent": m.urgent,
        }
        for m in messages
    ]


async def schedule_again(repo: Repo, messages: list[Message], *, now: datetime) -> int:
    """As `schedule_all`, and a message of these keys that was cancelled before it was sent is
    scheduled again (a registrant's reminders after the event's reminder moments changed)."""
    added = await schedule_all(repo, messages, now=now)
    if added < len(messages):
        rows = [{"key": m.key, "params": dict(m.params), "due_at": m.due_at} for m in messages]
        added += await repo.outbox.revive_cancelled(rows, now=now)
    return added


async def reschedule(repo: Repo, key: str, due_at: datetime, *, now: datetime) -> bool:
    """Move a pending message to a new time; False when there is no pending message by that key."""
    return await repo.outbox.move(key, due_at, now)


async def cancel(repo: Repo, key: str, *, now: datetime) -> bool:
    """Cancel a pending message; False when it was already sent, cancelled or never scheduled."""
    return await repo.outbox.cancel_where(OutboxMessage.key == key, now=now) > 0


async def cancel_subject(repo: Repo, subject: str, *, now: datetime) -> int:
    """Cancel every pending message about `subject`; returns how many."""
    return await repo.outbox.cancel_where(OutboxMessage.subject == subject, now=now)


async def cancel_subjects_like(repo: Repo, prefix: str, *, now: datetime) -> int:
    """Cancel pending messages whose subject starts with `prefix` (e.g. every "event:7:" row)."""
    return await repo.outbox.cancel_where(OutboxMessage.subject.startswith(prefix), now=now)


async def pending_for(repo: Repo, recipient_id: int) -> list[OutboxMessage]:
    return await repo.outbox.pending_for(recipient_id)
