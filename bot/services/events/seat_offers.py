"""Free seats close to the start that nobody is taking. A periodic pass over the events that
start within the offer window (two days) and still have a free seat:

- when nobody was offered one yet (the window just opened, and people who wait for it after
  several no-shows are on the waitlist), everyone on the waitlist who fits hears it at once;
- when an offer to the waitlist has stood for `OFFER_TIMEOUT` without a yes, or nobody who fits
  waits, the seats go to the flexible waitlist: the next matching wishes, a new round each
  `OFFER_TIMEOUT` while seats stay free.

First yes wins as always (`registrations.take_seat`, or a normal sign-up for a wish)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.services.events import messages as event_messages
from bot.services.events import wishes
from bot.services.events.waitlist import OFFER_WITHIN, offer_when_close, waiting_who_fit
from storage.models import Event
from storage.repositories import Repo

logger = logging.getLogger(__name__)

OFFER_TIMEOUT = timedelta(hours=2)


async def pass_on_free_seats(repo: Repo, *, now: datetime) -> int:
    """One pass; returns how many people were offered a seat."""
    offered = 0
    async with repo.write():
        for event_id in await repo.events.with_free_seats_starting(now, now + OFFER_WITHIN):
            event = await repo.events.lock(event_id)
            if event is not None:
                offered += await _pass_on(repo, event, now)
    if offered:
        logger.info("free seats near the start offered to %s people", offered)
    return offered


async def _pass_on(repo: Repo, event: Event, now: datetime) -> int:
    free = event.capacity - await repo.registrations.seats_taken(event.id)
    if free <= 0:
        return 0
    last_offer = await repo.outbox.newest(
        kind=event_messages.SEAT_OFFER, subject=event_messages.offer_subject(event.id)
    )
    waiting = await waiting_who_fit(repo, event.id, free)
    if waiting and last_offer is None:
        return await offer_when_close(repo, event, now=now)
    if waiting and last_offer is not None and now - last_offer < OFFER_TIMEOUT:
        return 0  # the waitlist still has time to say yes
    last_wish_offer = await repo.outbox.newest(
        kind=wishes.WISH_OFFER, subject=wishes.wish_offer_subject(event.id)
    )
    if last_wish_offer is not None and now - last_wish_offer < OFFER_TIMEOUT:
        return 0
    return await wishes.offer_seats_to_wishes(repo, event, free, now=now)
