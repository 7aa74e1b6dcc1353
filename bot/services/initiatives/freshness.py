"""Freshness: six months after the last confirmation, every member of a published initiative
is asked "Klopt dit nog?" through the outbox (once per confirmation)."""

from __future__ import annotations

from datetime import datetime

from bot.services import outbox
from bot.services.initiatives.profiles import FRESHNESS_INTERVAL, subject
from bot.services.message_params import FreshnessParams
from storage.repositories import Repo

FRESHNESS_KIND = "initiative.freshness"


async def schedule_freshness_nudges(
    repo: Repo, *, now: datetime, after_id: int = 0, limit: int = 500
) -> tuple[int, int | None]:
    """Plan the nudges for one page of due initiatives (ids above `after_id`).

    Returns (messages newly scheduled, the last id of the page or None when there are no
    more). The key holds the day of the last confirmation, so running it again the same day,
    or every day until the members answer, never sends a second nudge for that confirmation.
    """
    async with repo.write():
        due = await repo.initiatives.due_for_freshness(
            now - FRESHNESS_INTERVAL, after_id=after_id, limit=limit
        )
        members = await repo.initiatives.member_ids([initiative_id for initiative_id, _ in due])
        scheduled = 0
        for initiative_id, confirmed in due:
            day = confirmed.date().isoformat()
            for user_id in members.get(initiative_id, []):
                added = await outbox.schedule(
                    repo,
                    key=f"freshness:{initiative_id}:{day}:{user_id}",
                    recipient_id=user_id,
                    kind=FRESHNESS_KIND,
                    params=FreshnessParams(initiative_id=initiative_id, confirmed=day),
                    due_at=now,
                    now=now,
                    subject=subject(initiative_id),
                )
                scheduled += int(added)
    last = due[-1][0] if len(due) == limit else None
    return scheduled, last
