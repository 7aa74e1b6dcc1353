"""A coordinator changes an event that hasn't started: time, place, seats, title, description,
theme, registration deadline, cancellation cut-off, reminders, facilitators needed and level.

One set of rules (`_apply`) serves both the preview ("this message goes to 14 people") and the
change itself, so what the coordinator is shown is what happens. A new time or place tells
every registrant and whoever leads the table; new reminders are rescheduled quietly; more seats
go to the waitlist at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Final

from sqlalchemy import inspect

from bot.catalog.themes import THEMES
from bot.services.coordination import audit
from bot.services.events import messages as event_messages
from bot.services.events import mix
from bot.services.events.admin import (
    CapacityBelowSeatsError,
    EventStartedError,
    InvalidEventError,
)
from bot.services.events.errors import EventsError
from bot.services.events.inputs import (
    MAX_REMINDERS,
    check_description,
    check_title,
    parse_capacity,
    parse_moment_before,
    parse_place,
    parse_reminders,
    parse_when,
)
from bot.services.events.registrations import MAX_PARTY_SIZE, EventNotFoundError
from bot.services.events.waitlist import fill_free_seats
from bot.services.facilitation.escalation import ask_facilitators_about_new_moment
from bot.services.facilitation.pool import LEVELS, MAX_NEEDED
from storage.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from storage.repositories import Repo

_ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class _Keep:
    """A field the change leaves as it is (None is a value of its own: no theme, no deadline)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


class FacilitatorsNeededError(EventsError):
    """The number of facilitators must lie between those already confirmed (a table at least
    one) and the most a table can have."""

    def __init__(self, lowest: int, highest: int) -> None:
        super().__init__(lowest, highest)
        self.lowest, self.highest = lowest, highest


@dataclass
class EventChanges:
    """What to change; every field left at its default stays as it is."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue: str | None = None
    address: str | None = None
    municipality: str | None = None
    capacity: int | None = None
    title: str | None = None
    description: str | None = None
    theme: str | _Keep | None = KEEP
    registration_deadline: datetime | _Keep | None = KEEP
    cancellation_cutoff: datetime | _Keep | None = KEEP
    reminder_offsets: list[int] | None = None
    facilitators_needed: int | None = None
    level: str | None = None
    max_party_size: int | None = None
    # (seats, for whom, the table's neighbourhood as typed); (0, None, None) ends it
    reservation: tuple[int, str | None, str | None] | None = None

    def names(self) -> list[str]:
        """The fields this change sets, for the audit log."""
        defaults = EventChanges()
        return [name for name, value in vars(self).items() if value != getattr(defaults, name)]


@dataclass(frozen=True, slots=True)
class Applied:
    moved: bool  # a new time
    relocated: bool  # a new place
    reminders: bool  # new reminder moments


def _apply(event: Event, changes: EventChanges) -> Applied:
    """Set the changes on `event` after checking they fit together; raises on what doesn't."""
    new_start = changes.starts_at or event.starts_at
    new_end = changes.ends_at or (event.ends_at + (new_start - event.starts_at))
    if new_end <= new_start:
        raise InvalidEventError("times")
    moved = (new_start, new_end) != (event.starts_at, event.ends_at)
    new_place = (
        changes.venue if changes.venue is not None else event.venue,
        changes.address if changes.address is not None else event.address,
        changes.municipality if changes.municipality is not None else event.municipality,
    )
    relocated = new_place != (event.venue, event.address, event.municipality)
    event.starts_at, event.ends_at = new_start, new_end
    event.venue, event.address, event.municipality = new_place
    if changes.title is not None:
        event.title = changes.title
    if changes.description is not None:
        event.description = changes.description
    if not isinstance(changes.theme, _Keep):
        if changes.theme is not None and changes.theme not in THEMES:
            raise InvalidEventError("theme")
        event.theme = changes.theme
    if changes.level is not None:
        if changes.level not in LEVELS:
            raise InvalidEventError("level")
        # A training grants this level; a table asks it of whoever leads it.
        if event.kind == EventKind.TRAINING:
            event.level = changes.level
        else:
            event.facilitator_level = changes.level
    if changes.facilitators_needed is not None:
        lowest = max(event.facilitators_confirmed, 1 if event.kind == EventKind.TABLE else 0)
        if not lowest <= changes.facilitators_needed <= MAX_NEEDED:
            raise FacilitatorsNeededError(lowest, MAX_NEEDED)
        event.facilitators_needed = changes.facilitators_needed
    if changes.reservation is not None:
        mix.reserve(event, *changes.reservation)
    if changes.max_party_size is not None:
        if not 1 <= changes.max_party_size <= MAX_PARTY_SIZE:
            raise InvalidEventError("party")
        event.max_party_size = changes.max_party_size
    _apply_moments(event, changes, moved)
    reminders = changes.reminder_offsets is not None and sorted(
        changes.reminder_offsets, reverse=True
    ) != list(event.reminder_offsets)
    if changes.reminder_offsets is not None:
        if len(changes.reminder_offsets) > MAX_REMINDERS:
            raise InvalidEventError("reminders")
        event.reminder_offsets = sorted(set(changes.reminder_offsets), reverse=True)
    return Applied(moved, relocated, reminders)


def _apply_moments(event: Event, changes: EventChanges, moved: bool) -> None:
    """The registration deadline and the cancellation cut-off lie before the start. When the
    event moves earlier than one of them and it isn't given anew, it no longer applies."""
    for name in ("registration_deadline", "cancellation_cutoff"):
        given = getattr(changes, name)
        if isinstance(given, _Keep):
            current = getattr(event, name)
            if moved and current is not None and current > event.starts_at:
                setattr(event, name, None)
            continue
        if given is not None and given > event.starts_at:
            raise InvalidEventError(f"{name}_after_start")
        setattr(event, name, given)


def _check_changeable(event: Event | None, event_id: int, now: datetime) -> Event:
    if event is None or event.status not in (EventStatus.PUBLISHED, EventStatus.DRAFT):
        raise EventNotFoundError(event_id)
    if event.starts_at <= now:
        raise EventStartedError(event_id)
    return event


async def changeable(repo: Repo, event_id: int, *, now: datetime) -> Event:
    """The event, when it can still be changed; else EventNotFoundError or EventStartedError."""
    async with repo.read():
        return _check_changeable(await repo.events.get(event_id), event_id, now)


@dataclass(frozen=True, slots=True)
class ChangePreview:
    """The event as it will be after the change (not stored) and who would hear about it."""

    event: Event
    registrants: int  # signed up or on the waitlist: they get the message
    on_waitlist: int
    facilitators: int  # who lead the table: asked whether the new moment suits them
    applied: Applied

    @property
    def tells_anyone(self) -> bool:
        return (self.applied.moved or self.applied.relocated) and (
            self.registrants > 0 or self.facilitators > 0
        )


def _detached_copy(event: Event) -> Event:
    columns = inspect(Event).column_attrs
    return Event(**{column.key: getattr(event, column.key) for column in columns})


async def preview_change(
    repo: Repo, event_id: int, changes: EventChanges, *, now: datetime
) -> ChangePreview:
    """What the change would do, without doing it: the event afterwards and who is told."""
    async with repo.read():
        event = _check_changeable(await repo.events.get(event_id), event_id, now)
        after = _detached_copy(event)
        applied = _apply(after, changes)
        seats, waiting = (await repo.registrations.counts([event_id]))[event_id]
        facilitators = (
            len(await repo.facilitation.accepted_for(event_id))
            if event.status == EventStatus.PUBLISHED
            else 0
        )
    registrants = seats + waiting if event.status == EventStatus.PUBLISHED else 0
    return ChangePreview(after, registrants, waiting, facilitators, applied)


@dataclass
class ChangeResult:
    event: Event
    notified: int
    promoted: list[Registration]


async def change_event(
    repo: Repo, event_id: int, changes: EventChanges, *, actor_id: int | None, now: datetime
) -> ChangeResult:
    """Make the change. A new time or place tells every registrant and whoever leads the
    table, and moves the reminders; new reminder moments are rescheduled without a message;
    more seats go to the waitlist at once; the rest shows on the card and in every message
    from then on."""
    async with repo.write():
        event = _check_changeable(await repo.events.lock(event_id), event_id, now)
        if changes.capacity is not None:
            taken = await repo.registrations.seats_taken(event.id)
            if changes.capacity < max(taken, 1):
                raise CapacityBelowSeatsError(taken)
            event.capacity = changes.capacity
        applied = _apply(event, changes)
        event.updated_at = now
        notified = 0
        if applied.moved or applied.relocated:
            event.version += 1
            notified = await _tell_about_change(repo, event, now)
            await ask_facilitators_about_new_moment(repo, event, now=now)
        elif applied.reminders:
            await _reschedule_seat_messages(repo, event, now)
        await repo.session.flush()
        promoted = await fill_free_seats(repo, event, now=now)
        await audit.record(
            repo,
            actor_id=actor_id,
            action="event.change",
            target=f"event:{event.id}",
            details={"changed": changes.names(), "notified": notified, "capacity": event.capacity},
            now=now,
        )
    return ChangeResult(event, notified, promoted)


async def _reschedule_seat_messages(repo: Repo, event: Event, now: datetime) -> list[Registration]:
    """Every registrant's reminders and "Kom je nog?" again at the event's current moments."""
    active = [
        registration for registration, _user in await repo.registrations.of_event(event.id, _ACTIVE)
    ]
    for registration in active:
        await event_messages.drop_seat_messages(repo, event, registration, now=now)
        if registration.status == RegistrationStatus.CONFIRMED:
            await event_messages.schedule_seat_messages(repo, event, registration, now=now)
    return active


async def _tell_about_change(repo: Repo, event: Event, now: datetime) -> int:
    active = await _reschedule_seat_messages(repo, event, now)
    if event.status != EventStatus.PUBLISHED:
        return 0
    return await event_messages.notify_registrants(
        repo, event, active, kind="event.changed", now=now
    )


def read_change(
    field: str, text: str, *, starts_at: datetime, now: datetime, tz: tzinfo
) -> EventChanges:
    """What a coordinator typed for `field` (of /wijzig) as a change; `ValueError` (or
    `WhenError`) when it can't be read."""
    if field == "time":
        new_start, new_end = parse_when(text, now=now, tz=tz)
        return EventChanges(starts_at=new_start, ends_at=new_end)
    if field == "place":
        place = parse_place(text)
        return EventChanges(
            venue=place.venue, address=place.address, municipality=place.municipality
        )
    if field == "title":
        return EventChanges(title=check_title(text))
    if field == "description":
        return EventChanges(description=check_description(text))
    if field == "seats":
        return EventChanges(capacity=parse_capacity(text))
    if field == "reminders":
        return EventChanges(reminder_offsets=parse_reminders(text))
    if field == "facilitators":
        if not text.strip().isdigit():
            raise ValueError("facilitators")
        return EventChanges(facilitators_needed=int(text.strip()))
    if field == "reserved":
        return EventChanges(reservation=mix.parse_reservation(text))
    if field == "party":
        if not text.strip().isdigit():
            raise ValueError("party")
        return EventChanges(max_party_size=int(text.strip()))
    moment = parse_moment_before(text, starts_at=starts_at, now=now, tz=tz)
    if field == "deadline":
        return EventChanges(registration_deadline=moment)
    return EventChanges(cancellation_cutoff=moment)
