"""How full an event is, as columns of a statement over the events table: the seats taken
(groups count with their size) and the places on the waitlist. Correlated with `Event.id`;
they read the registrations under an alias of their own, so the statement may also join the
registrations table itself."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from storage.expressions import one_of
from storage.models import Event, Registration, RegistrationStatus
from storage.models.events import SEAT_STATUSES

_counted = aliased(Registration)

SEATS_OF_EVENT = (
    select(func.coalesce(func.sum(_counted.party_size), 0))
    .where(_counted.event_id == Event.id, one_of(_counted.status, SEAT_STATUSES))
    .scalar_subquery()
)
WAITING_FOR_EVENT = (
    select(func.count())
    .where(_counted.event_id == Event.id, _counted.status == RegistrationStatus.WAITLISTED)
    .scalar_subquery()
)
