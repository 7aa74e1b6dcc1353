"""Who gets a freed seat. Promotion from the front of the waitlist: a group is never split
(when it doesn't fit it keeps its place and the seats go to the first behind it who fits), and
seats kept for an age group or for people from elsewhere go to those they are kept for. Within
two days of the start a free seat is offered to everyone on the waitlist who fits instead (first
yes wins), and with nobody waiting who fits, to the next matching wish. Every function here is
called with the event locked, in the transaction of the use-case that freed the seat."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.services.events import messages as event_messages
from bot.services.events import mix, wishes
from storage.models import Event, EventStatus, Registration, RegistrationStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# Within this time before the start, a free seat is offered to the whole waitlist at once
# instead of going to the first in line (who may not read it in time).
OFFER_WITHIN = timedelta(hours=48)


async def held_back(repo: Repo, event: Event, now: datetime) -> int:
    """Reserved seats still held for the people they are for: until the waitlist offers
    begin, two days before the start; from then on every seat is open to everyone."""
    if event.starts_at - now <= OFFER_WITHIN:
        return 0
    return await mix.reserved_left(repo, event)


async def fill_free_seats(repo: Repo, event: Event, *, now: datetime) -> list[Registration]:
    """Promote from the front of the waitlist while seats are free; within 48 hours of the
    start a free seat is offered to the whole waitlist instead (`take_seat`: first yes wins).
    Call with the event locked."""
    promoted: list[Registration] = []
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return promoted
    free = event.capacity - await repo.registrations.seats_taken(event.id)
    if free > 0 and event.starts_at - now <= OFFER_WITHIN:
        offered = await offer_when_close(repo, event, now=now)
        logger.info("event %s: %s free seats offered to %s people", event.id, free, offered)
        return promoted
    while free > 0:
        held = await held_back(repo, event, now)
        first = await _first_who_fits(repo, event, free, free - held)
        if first is None:  # nobody who fits waits: each open seat to the next matching wish
            await wishes.offer_seats_to_wishes(repo, event, max(0, free - held), now=now)
            break
        await seat_from_waitlist(repo, event, first, now)
        await event_messages.notify_promoted(repo, event, first, now=now)
        promoted.append(first)
        free -= first.party_size
    if promoted:
        logger.info("event %s: %s promoted from the waitlist", event.id, len(promoted))
    return promoted


async def seat_from_waitlist(
    repo: Repo, event: Event, registration: Registration, now: datetime
) -> None:
    """A waitlist place becomes seats: the places behind it move up, reminders are planned."""
    position = registration.waitlist_position or 1
    registration.status = RegistrationStatus.CONFIRMED
    registration.waitlist_position = None
    registration.confirmed_at = now
    registration.seat_count += 1
    registration.waits_for_offer = False
    registration.updated_at = now
    await repo.session.flush()
    await repo.registrations.close_gap(event.id, position, now)
    await event_messages.schedule_seat_messages(repo, event, registration, now=now)


async def _first_who_fits(
    repo: Repo, event: Event, free: int, open_to_all: int
) -> Registration | None:
    """The first on the waitlist whose group fits: in the seats open to everyone, or in the
    reserved ones when they are for them."""
    if open_to_all >= free:
        return await repo.registrations.first_waitlisted(event.id, fits=free)
    for registration, _user in await repo.registrations.of_event(
        event.id, (RegistrationStatus.WAITLISTED,)
    ):
        if registration.waits_for_offer or registration.party_size > free:
            continue
        if registration.party_size <= open_to_all or mix.matches(
            event, registration.age_group, registration.neighbourhood
        ):
            return registration
    return None


async def waiting_who_fit(repo: Repo, event_id: int, free: int) -> list[Registration]:
    """Everyone on the waitlist whose group fits in `free` seats, in waitlist order."""
    return [
        registration
        for registration, _user in await repo.registrations.of_event(
            event_id, (RegistrationStatus.WAITLISTED,)
        )
        if registration.party_size <= free
    ]


async def offer_when_close(repo: Repo, event: Event, *, now: datetime) -> int:
    """Within the offer window: the free seats are offered to everyone on the waitlist who
    fits (also those who waited for this moment), or, when nobody who fits waits, to the next
    matching wish. Returns how many were offered a seat. Call with the event locked."""
    free = event.capacity - await repo.registrations.seats_taken(event.id)
    if free <= 0:
        return 0
    waiting = await waiting_who_fit(repo, event.id, free)
    if waiting:
        return await event_messages.offer_free_seat(repo, event, waiting, now=now)
    return await wishes.offer_seats_to_wishes(repo, event, free, now=now)
