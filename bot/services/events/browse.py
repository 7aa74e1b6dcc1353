"""Browsing events: pages of upcoming events with filters, one event's card data, filter choices.

Read-only use-cases; they end their read transaction so the session holds no snapshot.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.services.events.periods import month_code, period_window
from bot.services.events.registrations import EventNotFoundError, visible_event
from storage.models import Event, EventKind, EventStatus, Registration
from storage.repositories import Repo
from storage.repositories.events import EventFilter

PAGE_SIZE = 5


@dataclass(frozen=True, slots=True)
class EventView:
    """An event with how full it is."""

    event: Event
    seats_taken: int
    waiting: int

    def open_for_changes(self, now: datetime) -> bool:
        """Signing up and cancelling are possible: published and not yet started."""
        return self.event.status == EventStatus.PUBLISHED and now < self.event.starts_at

    def open_for_signup(self, now: datetime) -> bool:
        """New sign-ups are taken: open for changes and before the registration deadline."""
        return self.open_for_changes(now) and now < self.event.open_until

    @property
    def seats_left(self) -> int:
        return max(self.event.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


@dataclass(frozen=True, slots=True)
class BrowsePage:
    items: list[EventView]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class Browse:
    """What someone asked to see: kind, theme, municipality, a period (`when`, see
    `period_window`) and the page."""

    kind: str = ""
    theme: str = ""
    place: str = ""
    when: str = ""
    page: int = 0


def known_kind(text: str) -> EventKind | None:
    """The kind a filter asks for; nothing (all kinds) for an empty or unknown one (an old or
    forged button), so no unknown word ever reaches the database."""
    return EventKind(text) if text in {kind.value for kind in EventKind} else None


def _where(request: Browse, now: datetime, tz: tzinfo) -> EventFilter:
    starts_after, starts_before = period_window(now, tz, request.when)
    return EventFilter(
        kind=known_kind(request.kind),
        theme=request.theme or None,
        municipality=request.place or None,
        starts_after=starts_after,
        starts_before=starts_before,
    )


async def browse(repo: Repo, request: Browse, *, now: datetime, tz: tzinfo) -> BrowsePage:
    async with repo.read():
        where = _where(request, now, tz)
        page = max(request.page, 0)
        events, total = await repo.events.upcoming(
            now, where, limit=PAGE_SIZE, offset=page * PAGE_SIZE
        )
        pages = max(math.ceil(total / PAGE_SIZE), 1)
        if page >= pages and total:
            page = pages - 1
            events, total = await repo.events.upcoming(
                now, where, limit=PAGE_SIZE, offset=page * PAGE_SIZE
            )
        counts = await repo.registrations.counts(event.id for event in events)
    items = [EventView(event, *counts[event.id]) for event in events]
    return BrowsePage(items, page, pages, total)


async def view(repo: Repo, event_id: int, *, drafts: bool = False) -> EventView:
    """One event with its seats; drafts only for the coordinators' card (`drafts`)."""
    async with repo.read():
        event = visible_event(await repo.events.get(event_id), event_id, drafts=drafts)
        counts = await repo.registrations.counts([event_id])
    return EventView(event, *counts[event_id])


async def shareable(repo: Repo, event_id: int) -> EventView:
    """A published event, as a card shared in another chat (EventNotFoundError otherwise)."""
    found = await view(repo, event_id)
    if found.event.status != EventStatus.PUBLISHED:
        raise EventNotFoundError(event_id)
    return found


async def view_for(
    repo: Repo, event_id: int, user_id: int
) -> tuple[EventView, Registration | None]:
    """An event and the person's own registration, for their card and buttons."""
    async with repo.read():
        found = await repo.registrations.event_with_own(event_id, user_id)
    if found is None:
        raise EventNotFoundError(event_id)
    event, registration, seats_taken, waiting = found
    return EventView(visible_event(event, event_id), seats_taken, waiting), registration


async def filter_choices(
    repo: Repo,
    *,
    now: datetime,
    column: str,
    request: Browse | None = None,
    tz: tzinfo | None = None,
) -> list[str]:
    """The themes ("theme") or municipalities ("municipality") that upcoming events have,
    under the agenda's other filters (kind, period and the other picker), so a choice never
    leads to an empty list."""
    where = EventFilter()
    if request is not None and tz is not None:
        where = _where(request, now, tz)
        cleared = {"theme": None} if column == "theme" else {"municipality": None}
        where = dataclasses.replace(where, **cleared)
    async with repo.read():
        values = await repo.events.upcoming_values(now, column, where)
    return values


async def picker_choices(
    repo: Repo, field: str, *, now: datetime, request: Browse, tz: tzinfo
) -> list[str]:
    """What the agenda's picker for `field` ("theme", "place" or "when") offers, under the
    agenda's other filters."""
    if field == "when":
        return await months_with_events(repo, now=now, request=request, tz=tz)
    column = "theme" if field == "theme" else "municipality"
    return await filter_choices(repo, now=now, column=column, request=request, tz=tz)


async def months_with_events(
    repo: Repo, *, now: datetime, request: Browse, tz: tzinfo
) -> list[str]:
    """The months (codes, soonest first) in which upcoming events fit the agenda's other
    filters, so the month picker never leads to an empty list."""
    where = dataclasses.replace(_where(request, now, tz), starts_after=None, starts_before=None)
    async with repo.read():
        starts = await repo.events.upcoming_starts(now, where)
    return sorted({month_code(start.astimezone(tz).date()) for start in starts})
