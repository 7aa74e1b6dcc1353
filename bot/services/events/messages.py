"""What the events feature puts in the outbox: reminders, "Kom je nog?", promotions, changes and
cancellations. Called inside the use-cases that cause them, so a seat and its messages are stored
together. Keys carry the event's version and the registration's seat count, so a new seat or a
new time gets new messages while the old ones are cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from bot.quiet_hours import PROVINCE_TIME, before_quiet_hours
from bot.services import outbox
from bot.services.message_params import SeatParams
from storage.models import Event, EventKind, Registration, RegistrationStatus
from storage.repositories import Repo

RECONFIRM_BEFORE = timedelta(hours=48)


def registration_subject(event_id: int, registration_id: int) -> str:
    return f"event:{event_id}:reg:{registration_id}"


def event_subject_prefix(event_id: int) -> str:
    return f"event:{event_id}:"


def _stamp(registration: Registration) -> int:
    return registration.seat_count


def _params(event: Event, registration: Registration) -> SeatParams:
    return SeatParams(
        event_id=event.id,
        registration_id=registration.id,
        starts_at=event.starts_at.isoformat(),
        version=event.version,
    )


async def schedule_seat_messages(
    repo: Repo,
    event: Event,
    registration: Registration,
    *,
    now: datetime,
    tz: tzinfo = PROVINCE_TIME,
) -> None:
    """Reminders at the event's offsets and, for a table, "Kom je nog?" 48 hours before."""
    # One INSERT for them all; a reminder cancelled when the reminder moments changed and
    # wanted again comes back under its own key.
    await outbox.schedule_again(repo, seat_messages(event, registration, now=now, tz=tz), now=now)


def seat_messages(
    event: Event, registration: Registration, *, now: datetime, tz: tzinfo = PROVINCE_TIME
) -> list[outbox.Message]:
    """What a seat brings (see `schedule_seat_messages`): those still to come after `now`."""
    subject = registration_subject(event.id, registration.id)
    stamp = _stamp(registration)
    person = registration.user_id
    assert person is not None
    messages = []
    for offset in event.reminder_offsets:
        due = event.starts_at - timedelta(minutes=int(offset))
        if due <= now:
            continue
        # In the quiet hours a reminder would wait until 08:00, too late for a 09:00 table:
        # it goes out the evening before instead (unless that evening has passed already).
        if (early := before_quiet_hours(due, tz)) > now:
            due = early
        messages.append(
            outbox.Message(
                key=f"event.reminder:{registration.id}:{event.version}:{stamp}:{offset}",
                recipient_id=person,
                kind="event.reminder",
                params={**_params(event, registration), "offset": int(offset)},
                due_at=due,
                subject=subject,
            )
        )
    due = event.starts_at - RECONFIRM_BEFORE
    if event.kind == EventKind.TABLE and due > now:
        messages.append(
            outbox.Message(
                key=f"event.reconfirm:{registration.id}:{event.version}:{stamp}",
                recipient_id=person,
                kind="event.reconfirm",
                params=_params(event, registration),
                due_at=due,
                subject=subject,
            )
        )
    return messages


async def drop_seat_messages(
    repo: Repo, event: Event, registration: Registration, *, now: datetime
) -> None:
    await outbox.cancel_subject(repo, registration_subject(event.id, registration.id), now=now)


async def notify_promoted(
    repo: Repo, event: Event, registration: Registration, *, now: datetime
) -> None:
    """Tell someone at once that they moved from the waitlist to a seat."""
    await outbox.schedule(
        repo,
        key=f"event.promoted:{registration.id}:{_stamp(registration)}",
        recipient_id=registration.user_id,
        kind="event.promoted",
        params=_params(event, registration),
        due_at=now,
        now=now,
        subject=registration_subject(event.id, registration.id),
        urgent=True,
    )


async def notify_registrants(
    repo: Repo,
    event: Event,
    registrations: Iterable[Registration],
    *,
    kind: str,
    now: datetime,
    extra: dict[str, object] | None = None,
) -> int:
    """One message of `kind` ("event.changed", "event.cancelled") to each registrant."""
    count = 0
    for registration in registrations:
        added = await outbox.schedule(
            repo,
            key=f"{kind}:{event.id}:{event.version}:{registration.user_id}",
            recipient_id=registration.user_id,
            kind=kind,
            params={**_params(event, registration), **(extra or {})},
            due_at=now,
            now=now,
            subject=f"event-news:{event.id}",
            urgent=True,
        )
        count += int(added)
    return count


SEAT_OFFER = "event.seat_offer"
SEAT_GONE = "event.seat_gone"


def offer_subject(event_id: int) -> str:
    return f"event:{event_id}:offer"


async def offer_free_seat(
    repo: Repo, event: Event, waiting: Iterable[Registration], *, now: datetime
) -> int:
    """Close to the start a free seat is offered to everyone on the waitlist at once (first
    yes wins); returns how many were offered it. One offer per person per freed seat."""
    taken = await repo.registrations.seats_taken(event.id)
    messages = [
        outbox.Message(
            key=f"{SEAT_OFFER}:{registration.id}:{taken}:{int(now.timestamp())}",
            recipient_id=registration.user_id,
            kind=SEAT_OFFER,
            params=_params(event, registration),
            due_at=now,
            subject=offer_subject(event.id),
            urgent=True,
        )
        for registration in waiting
        if registration.user_id is not None
    ]
    return await outbox.schedule_all(repo, messages, now=now)


async def tell_seat_gone(repo: Repo, event: Event, taker_id: int, *, now: datetime) -> int:
    """The free seats are taken: offers not yet sent are withdrawn, and whoever got one and is
    still waiting hears that the seat has gone."""
    offered = await repo.outbox.sent_recipients(kind=SEAT_OFFER, subject=offer_subject(event.id))
    await outbox.cancel_subject(repo, offer_subject(event.id), now=now)
    still_waiting = {
        registration.user_id: registration
        for registration, _user in await repo.registrations.of_event(
            event.id, (RegistrationStatus.WAITLISTED,)
        )
    }
    messages = [
        outbox.Message(
            key=f"{SEAT_GONE}:{event.id}:{person}:{int(now.timestamp())}",
            recipient_id=person,
            kind=SEAT_GONE,
            params=_params(event, still_waiting[person]),
            due_at=now,
            subject=registration_subject(event.id, still_waiting[person].id),
            urgent=True,
        )
        for person in sorted(set(offered))
        if person != taker_id and person in still_waiting
    ]
    return await outbox.schedule_all(repo, messages, now=now)
