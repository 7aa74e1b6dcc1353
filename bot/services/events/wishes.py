"""A flexible waitlist across events: "every table in Utrecht this week", "every Spannend
training in March". A wish is made from the card of a full event (its kind and place, that
week; for a training its level, that month). When a seat at a matching event frees up and
nobody waits for it, the person with the oldest matching wish is offered it (one tap signs
up; first yes wins as always); a newly published matching event is told to everyone wishing
for it. Wishes show, and can be removed, in /mijnagenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.services import outbox
from bot.services.events.periods import THIS_WEEK, month_code, period_window
from bot.services.message_params import TableParams
from storage.models import Event, EventKind, StandingWish
from storage.repositories import Repo

WISH_OFFER = "event.wish_offer"
WISH_NEW = "event.wish_new"


@dataclass(frozen=True, slots=True)
class WishSpec:
    kind: str
    municipality: str | None
    level: str | None
    starts_after: datetime
    starts_before: datetime
    whole_month: bool  # a training's month; else a week


def wish_like(event: Event, tz: tzinfo) -> WishSpec:
    """What a wish made from this event's card asks for: a training's level in its month;
    otherwise its kind and place in its week (the agenda's own periods)."""
    if event.kind == EventKind.TRAINING:
        month = month_code(event.starts_at.astimezone(tz).date())
        after, before = period_window(event.starts_at, tz, month)
        level: str | None = event.level
        municipality: str | None = None
    else:
        after, before = period_window(event.starts_at, tz, THIS_WEEK)
        level, municipality = None, event.municipality
    assert after is not None and before is not None
    return WishSpec(
        str(event.kind), municipality, level, after, before, event.kind == EventKind.TRAINING
    )


async def add_wish_like(
    repo: Repo, user_id: int, event_id: int, *, now: datetime, tz: tzinfo
) -> tuple[WishSpec, bool] | None:
    """A wish like this event (None when the event is gone); (what it asks, whether new)."""
    async with repo.write():
        event = await repo.events.get(event_id)
        if event is None:
            return None
        spec = wish_like(event, tz)
        added = await repo.wishes.add(
            {
                "user_id": user_id,
                "kind": spec.kind,
                "municipality": spec.municipality or "",
                "level": spec.level or "",
                "starts_after": spec.starts_after,
                "starts_before": spec.starts_before,
                "created_at": now,
            }
        )
    return spec, added


async def of_user(repo: Repo, user_id: int, *, now: datetime) -> list[StandingWish]:
    async with repo.read():
        return await repo.wishes.of_user(user_id, now)


async def remove(repo: Repo, user_id: int, wish_id: int) -> bool:
    async with repo.write():
        return await repo.wishes.remove(wish_id, user_id)


def wish_offer_subject(event_id: int) -> str:
    return f"event:{event_id}:wish"


async def offer_to_wishes(repo: Repo, event: Event, *, now: datetime) -> int | None:
    """A free seat nobody waits for goes to the oldest matching wish whose person wasn't
    offered this event yet; their id, or None. Call inside the use-case that freed it."""
    for wish in await repo.wishes.matching(event):
        if await outbox.schedule(
            repo,
            key=f"{WISH_OFFER}:{event.id}:{wish.user_id}",
            recipient_id=wish.user_id,
            kind=WISH_OFFER,
            params=TableParams(event_id=event.id),
            due_at=now,
            now=now,
            subject=wish_offer_subject(event.id),
            urgent=True,
        ):
            return wish.user_id
    return None


async def offer_seats_to_wishes(repo: Repo, event: Event, free: int, *, now: datetime) -> int:
    """Each of `free` seats to the next matching wish not offered this event yet; how many
    people were offered one."""
    offered = 0
    while offered < free and await offer_to_wishes(repo, event, now=now) is not None:
        offered += 1
    return offered


async def tell_about_new_event(repo: Repo, event: Event, *, now: datetime) -> int:
    """A newly published event: everyone whose wish it fits hears it (once)."""
    told = 0
    for wish in await repo.wishes.matching(event):
        told += await outbox.schedule(
            repo,
            key=f"{WISH_NEW}:{event.id}:{wish.user_id}",
            recipient_id=wish.user_id,
            kind=WISH_NEW,
            params=TableParams(event_id=event.id),
            due_at=now,
            now=now,
        )
    return told
