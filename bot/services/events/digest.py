"""The weekly digest: opt-in per person (with themes and municipalities), and each week one
message per subscriber with the new events and initiatives of the past week that fit. An empty
week sends nothing. Delivery goes through the outbox (not urgent: it waits for the morning)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.services import outbox
from bot.services.message_params import DigestParams
from storage.models import DigestSubscription, Event
from storage.repositories import Repo

logger = logging.getLogger(__name__)

WEEK = timedelta(days=7)


async def subscription(repo: Repo, user_id: int, *, now: datetime) -> DigestSubscription:
    """Someone's digest settings (off until they switch it on)."""
    async with repo.write():
        found = await repo.events.ensure_subscription(user_id, now)
    return found


async def toggle(
    repo: Repo,
    user_id: int,
    *,
    now: datetime,
    active: bool | None = None,
    theme: str | None = None,
    municipality: str | None = None,
) -> DigestSubscription:
    """Switch the digest on/off, or add/remove one theme or municipality of interest."""
    async with repo.write():
        found = await repo.events.ensure_subscription(user_id, now)
        if active is not None:
            found.active = active
        if theme is not None:
            found.themes = _flip(found.themes, theme)
        if municipality is not None:
            found.municipalities = _flip(found.municipalities, municipality)
        found.updated_at = now
    return found


def _flip(values: Sequence[Any], value: str) -> list[str]:
    current = [str(item) for item in values]
    return [item for item in current if item != value] if value in current else [*current, value]


def _fits_event(event: Event, wanted: DigestSubscription) -> bool:
    return (not wanted.themes or event.theme in wanted.themes) and (
        not wanted.municipalities or event.municipality in wanted.municipalities
    )


def _fits_initiative(initiative: Any, wanted: DigestSubscription) -> bool:
    themes = set(initiative.themes or [])
    return (not wanted.themes or bool(themes & set(wanted.themes))) and (
        not wanted.municipalities or initiative.municipality in wanted.municipalities
    )


async def schedule_weekly_digest(repo: Repo, *, now: datetime) -> int:
    """One digest per subscriber who has something new this week; returns how many."""
    async with repo.write():
        since = now - WEEK
        events = await repo.events.published_between(since, now, now)
        initiatives = await repo.events.initiatives_published_between(since, now)
        week = now.isocalendar()
        scheduled = 0
        for wanted in await repo.events.active_subscriptions():
            event_ids = [event.id for event in events if _fits_event(event, wanted)]
            initiative_ids = [item.id for item in initiatives if _fits_initiative(item, wanted)]
            if not event_ids and not initiative_ids:
                continue
            scheduled += await outbox.schedule(
                repo,
                key=f"digest.weekly:{wanted.user_id}:{week.year}-{week.week:02d}",
                recipient_id=wanted.user_id,
                kind="digest.weekly",
                params=DigestParams(event_ids=event_ids[:10], initiative_ids=initiative_ids[:10]),
                due_at=now,
                now=now,
                subject=f"digest:{wanted.user_id}",
            )
    logger.info("weekly digest scheduled for %s subscribers", scheduled)
    return scheduled
