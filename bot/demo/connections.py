"""Demo data of connecting initiatives: Fatima's initiative offering help on its themes, so
/vraag works in console mode. (The starter knowledge-base articles are no demo data: every
database gets them through a migration.) Never commits."""

from __future__ import annotations

from datetime import datetime

from bot.demo.initiatives import FATIMA_ID, FATIMAS_INITIATIVE
from storage.repositories import Repo


async def load_demo_connections(repo: Repo, now: datetime) -> int:
    """Add what is missing; returns how many rows were added."""
    added = 0
    found = await repo.initiatives.by_refs([FATIMAS_INITIATIVE])
    initiative = found.get(FATIMAS_INITIATIVE)
    if initiative is not None:
        for theme in initiative.themes:
            if await repo.connections.add_offer(initiative.id, theme, FATIMA_ID, now):
                added += 1
    return added
