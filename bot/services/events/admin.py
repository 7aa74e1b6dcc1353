"""What coordinators do with events: create, cancel, list the participants and mark attendance
(an attended training grants its certificate). Changing an event is in `changes`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.services.coordination import audit
from bot.services.events import messages as event_messages
from bot.services.events import wishes
from bot.services.events.browse import EventView
from bot.services.events.certificates import tell_certificate_revoked
from bot.services.events.errors import EventsError
from bot.services.events.registrations import EventNotFoundError, default_party_limit
from bot.services.facilitation.escalation import close_requests
from bot.services.outbox import cancel_subjects_like
from storage.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    User,
)
from storage.models.events import DEFAULT_REMINDER_OFFSETS
from storage.repositories import Repo

logger = logging.getLogger(__name__)

_ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
_PRESENCE = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


class InvalidEventError(EventsError, ValueError):
    """The event's details do not fit together (end before start, no seats, …)."""


class CapacityBelowSeatsError(EventsError):
    """Fewer seats than people already signed up: "vol = vol" works both ways."""

    def __init__(self, taken: int) -> None:
        super().__init__(taken)
        self.taken = taken


class EventStartedError(EventsError):
    """The event has started or taken place: its time, place and seats can't change any more."""


class EventNotOverError(EventsError):
    """Attendance can only be marked once the event has started."""


@dataclass
class EventDraft:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    municipality: str
    capacity: int
    address: str = ""
    theme: str | None = None
    description: str = ""
    level: str | None = None
    contribution: str | None = None
    registration_deadline: datetime | None = None
    cancellation_cutoff: datetime | None = None
    reminder_offsets: list[int] = field(default_factory=lambda: list(DEFAULT_REMINDER_OFFSETS))
    host_initiative_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None


def _check(draft: EventDraft) -> None:
    if draft.kind not in {kind.value for kind in EventKind}:
        raise InvalidEventError("kind")
    if draft.ends_at <= draft.starts_at:
        raise InvalidEventError("times")
    if draft.capacity < 1:
        raise InvalidEventError("capacity")
    if not draft.title.strip() or not draft.venue.strip():
        raise InvalidEventError("text")


def _facilitators_needed(kind: str) -> int:
    """Tables need a facilitator; trainings and meetups bring their own."""
    return 1 if kind == EventKind.TABLE else 0


def preview(draft: EventDraft) -> EventView:
    """The event as it will look once published (not stored), for the coordinator's preview."""
    event = Event(
        **vars(draft),
        status=EventStatus.DRAFT,
        version=1,
        facilitators_needed=_facilitators_needed(draft.kind),
        facilitators_confirmed=0,
        max_party_size=default_party_limit(draft.kind),
    )
    return EventView(event, 0, 0)


async def create_event(
    repo: Repo, draft: EventDraft, *, created_by: int | None, now: datetime, publish: bool = True
) -> Event:
    """Store a new event; published at once unless `publish` is False. Tables need a facilitator."""
    _check(draft)
    async with repo.write():
        event = await repo.events.add(
            Event(
                **vars(draft),
                status=EventStatus.PUBLISHED if publish else EventStatus.DRAFT,
                facilitators_needed=_facilitators_needed(draft.kind),
                facilitators_confirmed=0,
                max_party_size=default_party_limit(draft.kind),
                version=1,
                created_by=created_by,
                created_at=now,
                updated_at=now,
                published_at=now if publish else None,
            )
        )
        if publish:
            await wishes.tell_about_new_event(repo, event, now=now)
        await audit.record(
            repo,
            actor_id=created_by,
            action="event.create",
            target=f"event:{event.id}",
            details={"kind": str(draft.kind), "published": publish},
            now=now,
        )
    logger.info("event %s created", event.id)
    return event


async def cancel_event(
    repo: Repo, event_id: int, *, actor_id: int | None, now: datetime, reason: str = ""
) -> int:
    """Call the event off: every reminder is withdrawn and everyone signed up is told."""
    async with repo.write():
        event = await repo.events.lock(event_id)
        if event is None or event.status not in (EventStatus.PUBLISHED, EventStatus.DRAFT):
            raise EventNotFoundError(event_id)
        event.status = EventStatus.CANCELLED
        event.updated_at = now
        await cancel_subjects_like(repo, event_messages.event_subject_prefix(event.id), now=now)
        active = [
            registration
            for registration, _user in await repo.registrations.of_event(event.id, _ACTIVE)
        ]
        notified = await event_messages.notify_registrants(
            repo, event, active, kind="event.cancelled", now=now, extra={"reason": reason[:300]}
        )
        await repo.session.flush()
        # Its facilitators hear it at once too, not at the next round of the facilitation job.
        await close_requests(repo, await repo.facilitation.active_for_called_off(event.id), now)
        await audit.record(
            repo,
            actor_id=actor_id,
            action="event.cancel",
            target=f"event:{event.id}",
            details={"notified": notified},
            now=now,
        )
    logger.info("event %s cancelled, %s told", event.id, notified)
    return notified


async def participants(repo: Repo, event_id: int) -> tuple[Event, list[tuple[Registration, User]]]:
    """Seats and waitlist of an event, for the coordinator."""
    async with repo.read():
        event = await repo.events.get(event_id)
        if event is None:
            raise EventNotFoundError(event_id)
        rows = await repo.registrations.of_event(
            event_id, (*_PRESENCE, RegistrationStatus.WAITLISTED)
        )
    return event, rows


@dataclass(frozen=True, slots=True)
class Marked:
    event: Event
    registration: Registration
    granted: bool  # the training's certificate, newly granted
    revoked: bool  # taken back: marked absent after "present" had granted it


async def mark_attendance(
    repo: Repo, registration_id: int, attended: bool, *, actor_id: int | None, now: datetime
) -> Marked:
    """Present or absent; an attended training grants its level, and marking that person
    absent again takes back what it granted."""
    async with repo.write():
        registration = await repo.registrations.get(registration_id)
        event = await repo.events.get(registration.event_id) if registration else None
        if registration is None or event is None or registration.status not in _PRESENCE:
            raise EventNotFoundError(registration_id)
        if event.starts_at > now:
            event_id = event.id
            raise EventNotOverError(event_id)
        registration.status = (
            RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW
        )
        registration.updated_at = now
        granted = revoked = False
        if attended and event.kind == EventKind.TRAINING and event.level:
            granted = await repo.events.grant_certificate(
                registration.user_id, event.level, event.id, now
            )
            if not granted:  # held already: the training renews it from today
                await repo.events.renew_certificate(
                    registration.user_id, event.level, event.id, now
                )
        elif not attended and event.kind == EventKind.TRAINING and event.level:
            # Marked present by mistake: what that granted is taken back, and the person told.
            revoked = await repo.events.revoke_certificate(
                registration.user_id, event.level, granted_by_event=event.id
            )
            if revoked and registration.user_id is not None:
                await tell_certificate_revoked(
                    repo, registration.user_id, event.level, "attendance", now=now
                )
        await audit.record(
            repo,
            actor_id=actor_id,
            action="attendance.mark",
            target=f"user:{registration.user_id}" if registration.user_id else "",
            details={
                "event": event.id,
                "attended": attended,
                "certificate": event.level if granted else None,
                "revoked": event.level if revoked else None,
            },
            now=now,
        )
    return Marked(event, registration, granted, revoked)
