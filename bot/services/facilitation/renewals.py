"""Certificates that stay current: 60 days before one lapses, its holder hears it with the
next training of that level and a one-tap sign-up; coordinators see who lapses when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.catalog.certificates import RENEWAL_NOTICE, valid_until, validity
from bot.services import outbox
from bot.services.facilitation.pool import LEVELS
from storage.models import EventKind
from storage.repositories import Repo
from storage.repositories.events import EventFilter

CERTIFICATE_LAPSING = "certificate.lapsing"


async def nudge_lapsing(repo: Repo, *, now: datetime) -> int:
    """One message per certificate that lapses within 60 days (once per grant: a renewed
    certificate gets its own later). Returns how many were newly scheduled."""
    async with repo.write():
        scheduled = 0
        for level in LEVELS:
            lapsing = await repo.events.lapsing_between(
                now, now + RENEWAL_NOTICE, level, validity(level)
            )
            for certificate, person in lapsing:
                granted = certificate.granted_at
                scheduled += await outbox.schedule(
                    repo,
                    key=f"{CERTIFICATE_LAPSING}:{certificate.id}:{int(granted.timestamp())}",
                    recipient_id=person.id,
                    kind=CERTIFICATE_LAPSING,
                    params={"level": level, "granted_at": granted.isoformat()},
                    due_at=now,
                    now=now,
                )
    return scheduled


async def next_training(repo: Repo, level: str, *, now: datetime) -> int | None:
    """The soonest upcoming training of `level` that still has a seat, by id."""
    where = EventFilter(kind=EventKind.TRAINING)
    for event in await repo.events.with_seats_left(now, where, exclude=0, limit=20):
        if event.level == level:
            return event.id
    return None


@dataclass(frozen=True, slots=True)
class Holding:
    name: str
    level: str
    valid_until: datetime


async def lapse_overview(repo: Repo) -> list[Holding]:
    """Every certificate with the day it lapses, soonest first (lapsed ones included)."""
    async with repo.read():
        rows = await repo.events.all_certificates()
    holdings = [
        Holding(person.first_name, str(c.level), valid_until(str(c.level), c.granted_at))
        for c, person in rows
    ]
    return sorted(holdings, key=lambda holding: holding.valid_until)
