"""A fair reliability record instead of bans: late cancellations and no-shows of the last 12
months, shown to the person themselves (/mijnstatus) with how to do better. It decays by itself
(older ones no longer count) and a coordinator can set it to zero (audited; the person is told).
Nothing is blocked by it: after a second late cancellation the person gets a friendly word, and
after several no-shows their sign-ups for popular tables wait first while others get the seats
(they share in the seats offered two days before the start), which the person is told."""

from __future__ import annotations

from datetime import datetime

from bot.services import outbox
from bot.services.coordination import audit
from bot.services.events.record import Record, current_record
from bot.services.facilitation.pool import find_person
from storage.models import User
from storage.repositories import Repo

RECORD_FORGIVEN = "record.forgiven"


async def forgive(
    repo: Repo, *, actor_id: int, target: int | str, now: datetime
) -> tuple[User, Record]:
    """A coordinator sets someone's record to zero; audited, and the person hears it.
    Returns the person and the record as it was."""
    async with repo.write():
        person = await find_person(repo, target)
        before = await current_record(repo, person.id, now=now)
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
