"""A fair reliability record instead of bans: late cancellations and no-shows of the last 12
months, shown to the person themselves (/mijnstatus) with how to do better. It decays by itself
(older ones no longer count) and a coordinator can set it to zero (audited; the person is told).
Nothing is blocked by it: after a second late cancellation the person gets a friendly word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.coordination import audit
from bot.services.facilitation.pool import find_person
from storage.models import User
from storage.repositories import Repo

WINDOW = timedelta(days=365)
FRIENDLY_WORD_AT = 2  # late cancellations in the window
RECORD_FORGIVEN = "record.forgiven"


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


async def _record(repo: Repo, user_id: int, now: datetime) -> Record:
    user = await repo.users.get(user_id)
    since = _since(user, now)
    late, missed = await repo.registrations.record_counts(user_id, since)
    return Record(late, missed, since, user.record_forgiven_at if user else None)


async def record_of(repo: Repo, user_id: int, *, now: datetime) -> Record:
    """Someone's record over the last 12 months (since it was last forgiven)."""
    async with repo.read():
        return await _record(repo, user_id, now)


def deserves_a_friendly_word(record: Record, *, late: bool) -> bool:
    """Right after the cancellation that made it the second late one."""
    return late and record.late_cancellations == FRIENDLY_WORD_AT


async def forgive(
    repo: Repo, *, actor_id: int, target: int | str, now: datetime
) -> tuple[User, Record]:
    """A coordinator sets someone's record to zero; audited, and the person hears it.
    Returns the person and the record as it was."""
    async with repo.write():
        person = await find_person(repo, target)
        before = await _record(repo, person.id, now)
        person.record_forgiven_at = now
        await audit.record(
            repo,
            actor_id=actor_id,
            action="record.forgive",
            target=f"user:{person.id}",
            details={"late": before.late_cancellations, "no_shows": before.no_shows},
            now=now,
        )
        await outbox.schedule(
            repo,
            key=f"{RECORD_FORGIVEN}:{person.id}:{int(now.timestamp())}",
            recipient_id=person.id,
            kind=RECORD_FORGIVEN,
            params={},
            due_at=now,
            now=now,
        )
    return person, before
