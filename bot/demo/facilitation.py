"""Demo facilitation: Fatima is a facilitator with the Basis certificate, and Kees (coordinator)
has asked her to lead the first demo table, so her request is waiting for "ja" or "nee"."""

from __future__ import annotations

from bot.clock import Clock
from bot.services.facilitation import requests as facilitation_requests
from bot.services.facilitation.pool import FacilitationError
from storage.repositories import Repo
from storage.repositories.events import EventFilter

FATIMA = 900_002
KEES = 900_003


async def load_demo_facilitation(repo: Repo, clock: Clock) -> int:
    """Grant Fatima Basis and ask her for the first table; returns how many rows were added."""
    now = clock.now()
    async with repo.read():
        levels = await repo.events.certificate_levels(FATIMA)
    if "basis" in levels:
        return 0
    async with repo.write():
        await repo.facilitators.grant_certificate(FATIMA, "basis", now)
    async with repo.read():
        tables, _total = await repo.events.upcoming(now, EventFilter(kind="table"), limit=1)
    if not tables:
        return 1
    try:
        await facilitation_requests.ask(
            repo, event_id=tables[0].id, target=FATIMA, coordinator_id=KEES, now=now
        )
    except FacilitationError:
        return 1
    return 2
