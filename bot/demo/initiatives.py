"""Demo initiatives for console mode: ten published profiles from `initiatives.json`
(fictional but realistic), one of them kept up to date by Fatima. Never commits."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any

from bot.services.initiatives.importer import clean_row, new_imported
from storage.models import MemberRole
from storage.repositories import Repo

FATIMA_ID = 900_002
FATIMAS_INITIATIVE = "demo-006"


def demo_rows() -> list[dict[str, Any]]:
    data = resources.files("bot.demo").joinpath("initiatives.json").read_text(encoding="utf-8")
    rows: list[dict[str, Any]] = json.loads(data)
    return rows


async def load_demo_initiatives(repo: Repo, now: datetime) -> int:
    """Add the demo initiatives that are not there yet; returns how many rows were added."""
    rows = demo_rows()
    existing = await repo.initiatives.by_refs([str(row["id"]) for row in rows])
    added = 0
    for row in rows:
        ref = str(row["id"])
        if ref in existing:
            continue
        initiative = await repo.initiatives.add(new_imported(ref, clean_row(row), now))
        added += 1
        if ref == FATIMAS_INITIATIVE and await repo.users.get(FATIMA_ID) is not None:
            await repo.initiatives.add_member(initiative.id, FATIMA_ID, MemberRole.OWNER, now)
            added += 1
    return added
