"""Freshness: six months after the last confirmation, every member of a published initiative
is asked "Klopt dit nog?" through the outbox (once per confirmation). An initiative nobody in
Samenspel belongs to yet (an imported one) can't be asked: its question goes to the
coordinators instead, with a claim link they can forward to the initiative; whoever opens it
becomes its owner and gets the question from then on."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.initiatives.profiles import FRESHNESS_INTERVAL, subject
from bot.services.message_params import FreshnessParams, UnclaimedFreshnessParams
from storage.models import InitiativeInvite, Role
from storage.repositories import Repo

FRESHNESS_KIND = "initiative.freshness"
UNCLAIMED_KIND = "initiative.freshness_unclaimed"
CLAIM_LINK_VALID_FOR = timedelta(days=60)


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
        coordinators = [user.id for user in await repo.users.with_role(Role.COORDINATOR)]
        scheduled = 0
        for initiative_id, confirmed in due:
            day = confirmed.date().isoformat()
            if not members.get(initiative_id):
                scheduled += await _ask_coordinators(repo, initiative_id, day, coordinators, now)
                continue
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


async def _ask_coordinators(
    repo: Repo, initiative_id: int, day: str, coordinators: list[int], now: datetime
) -> int:
    """Once per confirmation: a claim link, and the question to every coordinator."""
    if not coordinators or await repo.outbox.by_key(
        _claim_key(initiative_id, day, coordinators[0])
    ):
        return 0
    invite = InitiativeInvite(
        token=secrets.token_urlsafe(12),
        initiative_id=initiative_id,
        created_by=None,
        created_at=now,
        expires_at=now + CLAIM_LINK_VALID_FOR,
    )
    await repo.initiatives.add_invite(invite)
    scheduled = 0
    for coordinator in coordinators:
        added = await outbox.schedule(
            repo,
            key=_claim_key(initiative_id, day, coordinator),
            recipient_id=coordinator,
            kind=UNCLAIMED_KIND,
            params=UnclaimedFreshnessParams(
                initiative_id=initiative_id, confirmed=day, token=invite.token
            ),
            due_at=now,
            now=now,
            subject=subject(initiative_id),
        )
        scheduled += int(added)
    return scheduled


def _claim_key(initiative_id: int, day: str, coordinator: int) -> str:
    return f"freshness-claim:{initiative_id}:{day}:{coordinator}"
