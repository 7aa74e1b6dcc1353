"""The audit log: every admin action is recorded here, inside the use-case that performs it.

`record` never commits: the action and its log entry are stored together or not at all.
Details hold ids and choices, never message texts or other personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import AuditEntry, User
from storage.repositories import Repo

LOG_PAGE = 20


async def record(
    repo: Repo,
    *,
    actor_id: int | None,
    action: str,
    target: str,
    details: dict[str, Any] | None = None,
    now: datetime,
) -> AuditEntry:
    """Log that `actor_id` did `action` (e.g. "role.set") on `target` (e.g. "user:42")."""
    return await repo.audit.add(
        actor_id=actor_id, action=action, target=target, details=details or {}, at=now
    )


@dataclass(frozen=True, slots=True)
class LogPage:
    """Entries, newest first, and the people they name who still exist (by id)."""

    entries: Sequence[AuditEntry]
    people: dict[int, User]


def person_in(target: str) -> int | None:
    """The id in a target like "user:42", else None."""
    kind, _sep, value = target.partition(":")
    return int(value) if kind == "user" and value.lstrip("-").isdigit() else None


async def latest(repo: Repo, *, limit: int = LOG_PAGE, action: str | None = None) -> LogPage:
    """The newest entries first, optionally only those whose action starts with `action`."""
    async with repo.read():
        entries = await repo.audit.latest(limit, action=action)
        ids = [entry.actor_id for entry in entries if entry.actor_id is not None]
        ids += [p for entry in entries if (p := person_in(entry.target)) is not None]
        people = await repo.users.by_ids(ids)
    return LogPage(entries, people)
