"""Retention: personal data is kept no longer than needed. A while after an event its
participant list and debriefs lose their names (the counts stay for the figures), messages
the bot delivered long ago are deleted, and the days facilitators said they could lead a table
are forgotten once they have passed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.services.privacy.personal_data import enforce_tombstones
from storage.repositories import Repo

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionReport:
    anonymised: dict[str, int] = field(default_factory=dict)
    messages_deleted: int = 0
    days_forgotten: int = 0

    @property
    def total(self) -> int:
        return sum(self.anonymised.values()) + self.messages_deleted + self.days_forgotten


async def apply_retention(repo: Repo, *, now: datetime, days: int) -> RetentionReport:
    """Anonymise what belongs to events that ended more than `days` days ago, and delete
    settled outbox rows older than that. Idempotent: a second run changes nothing."""
    cutoff = now - timedelta(days=days)
    async with repo.write():
        anonymised = await repo.privacy.anonymise_events_before(cutoff)
        deleted = await repo.privacy.delete_settled_messages_before(cutoff)
        forgotten = await repo.facilitators.forget_days_before((now - timedelta(days=1)).date())
    report = RetentionReport(anonymised, deleted, forgotten)
    logger.info(
        "retention: %s rows anonymised (%s), %s old messages deleted",
        sum(anonymised.values()),
        ", ".join(f"{table}={count}" for table, count in sorted(anonymised.items())),
        deleted,
    )
    return report


async def privacy_check(repo: Repo, *, now: datetime, days: int, salt: str) -> tuple[int, int]:
    """(rows past retention, people erased again): apply retention, then erase again anyone
    whose row is older than their tombstone (a restored backup brought them back)."""
    report = await apply_retention(repo, now=now, days=days)
    erased = await enforce_tombstones(repo, now=now, salt=salt)
    await repo.privacy.flush_deleted_bytes()
    return report.total, erased
