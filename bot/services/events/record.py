"""Someone's reliability record: their late cancellations and no-shows of the last 12 months
(since a coordinator last set it to zero), and what it means for popular tables and after a late
cancellation. Read inside other use-cases (a sign-up, a cancellation), so it depends on storage
only; `reliability` shows and forgives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import User
from storage.repositories import Repo

WINDOW = timedelta(days=365)
WAITS_FIRST_AT = 3  # no-shows in the window
FRIENDLY_WORD_AT = 2  # late cancellations in the window


@dataclass(frozen=True, slots=True)
class Record:
    late_cancellations: int
    no_shows: int
    since: datetime  # what counts: from here on (a year ago, or when it was last forgiven)
    forgiven_at: datetime | None

    @property
    def clean(self) -> bool:
        return not self.late_cancellations and not self.no_shows


def _since(user: User | None, now: datetime) -> datetime:
    start = now - WINDOW
    forgiven = user.record_forgiven_at if user is not None else None
    return max(start, forgiven) if forgiven is not None else start


async def current_record(repo: Repo, user_id: int, *, now: datetime) -> Record:
    """The record, read inside the caller's transaction."""
    user = await repo.users.get(user_id)
    since = _since(user, now)
    late, missed = await repo.registrations.record_counts(user_id, since)
    return Record(late, missed, since, user.record_forgiven_at if user else None)


async def record_of(repo: Repo, user_id: int, *, now: datetime) -> Record:
    """Someone's record over the last 12 months (since it was last forgiven)."""
    async with repo.read():
        return await current_record(repo, user_id, now=now)


def deserves_a_friendly_word(record: Record) -> bool:
    """Right after a late cancellation that made it the second one."""
    return record.late_cancellations == FRIENDLY_WORD_AT


def waits_first(record: Record) -> bool:
    """Whether sign-ups for popular tables wait first (several no-shows in the window)."""
    return record.no_shows >= WAITS_FIRST_AT
