"""Registrations: seats, waitlist positions, participants and someone's own agenda.

Never commits. Counting seats and handing out waitlist positions is only correct inside a
transaction that holds the event's lock (`EventRepository.lock` after `Repo.write`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import write_lock
from storage.expressions import one_of
from storage.models import (
    Event,
    EventStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    User,
)
from storage.models.events import SEAT_STATUSES
from storage.plain_statements import PlainSelect
from storage.repositories.event_counts import SEATS_OF_EVENT, WAITING_FOR_EVENT
from storage.repositories.events import EventRepository
from storage.repositories.outbox import stored_rows
from storage.upsert import insert_new, insert_new_with_rows

# The statements of every sign-up and every event card, built once: composing a statement costs
# more than SQLAlchemy's cached compilation of it. Values go in as parameters.
_OWN = (
    select(Registration)
    .where(
        Registration.event_id == bindparam("event_id"),
        Registration.user_id == bindparam("user_id"),
    )
    .execution_options(populate_existing=True)
)
_COUNTS = (
    select(
        Registration.event_id,
        func.sum(
            case((one_of(Registration.status, SEAT_STATUSES), Registration.party_size), else_=0)
        ),
        func.sum(case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0)),
    )
    .where(Registration.event_id.in_(bindparam("event_ids", expanding=True)))
    .group_by(Registration.event_id)
)

_OWN_ON_EVENT = and_(
    Registration.event_id == Event.id, Registration.user_id == bindparam("user_id")
)


def _with_own_registration(*columns: Any) -> Any:
    """`columns` of one event (`event_id`) with the person's own registration (`user_id`), if
    any, beside them."""
    return (
        select(*columns)
        .select_from(Event)
        .outerjoin(Registration, _OWN_ON_EVENT)
        .where(Event.id == bindparam("event_id"))
        .execution_options(populate_existing=True)
    )


# A card in one statement: the event, the person's own registration (if any) and how full it is,
# read as detached snapshots (the read every card makes, and nothing in it is changed).
_EVENT_WITH_OWN = PlainSelect(
    Event, Registration, SEATS_OF_EVENT, WAITING_FOR_EVENT, build=_with_own_registration
)


def _latest(registrations: Any, answer: str) -> Any:
    """The person's latest answer (the column `answer`) over `registrations`, all events."""
    column = getattr(registrations, answer)
    return (
        select(column)
        .where(registrations.user_id == bindparam("user_id"), column.is_not(None))
        .order_by(registrations.updated_at.desc(), registrations.id.desc())
        .limit(1)
        .scalar_subquery()
    )


_LATEST_ANSWERS = select(_latest(Registration, "age_group"), _latest(Registration, "neighbourhood"))
_answered = aliased(Registration)
# What a sign-up reads after it has taken the event's lock, in one statement: the person's own
# registration, how full the event is and the person's latest answers to the two questions. On
# PostgreSQL a statement sees what was committed when it began, so it must begin after the lock.
_FACTS = (
    Registration,
    SEATS_OF_EVENT,
    WAITING_FOR_EVENT,
    _latest(_answered, "age_group"),
    _latest(_answered, "neighbourhood"),
)
_SIGN_UP_FACTS = PlainSelect(*_FACTS, build=_with_own_registration)
# The event and the facts together, where the transaction held the lock from its start.
_EVENT_AND_SIGN_UP_FACTS = PlainSelect(Event, *_FACTS, build=_with_own_registration)
# Otherwise the event's row is taken first (as `LOCK_EVENT`), the event read as a snapshot.
_LOCKED_EVENT = PlainSelect(
    Event,
    build=lambda *columns: (
        select(*columns).where(Event.id == bindparam("event_id")).with_for_update()
    ),
)


@dataclass(frozen=True, slots=True)
class SignUpFacts:
    """One person and one event, as a sign-up finds them."""

    registration: Registration | None
    seats_taken: int
    waiting: int
    latest_answers: tuple[str | None, str | None]  # (age group, place), from any event

    @classmethod
    def of_row(cls, row: Any) -> SignUpFacts:
        """The facts from the columns of `_FACTS` (None: no such event, so nothing yet)."""
        if row is None:
            return cls(None, 0, 0, (None, None))
        registration, seats, waiting, age_group, place = row
        return cls(registration, int(seats or 0), int(waiting or 0), (age_group, place))


class RegistrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, registration_id: int) -> Registration | None:
        return await self._session.get(Registration, registration_id)

    async def of(self, event_id: int, user_id: int) -> Registration | None:
        result = await self._session.execute(_OWN, {"event_id": event_id, "user_id": user_id})
        return result.scalars().first()

    async def event_with_own(
        self, event_id: int, user_id: int
    ) -> tuple[Event, Registration | None, int, int] | None:
        """An event, the person's own registration and (seats taken, waitlist places), read
        together as snapshots to show (`storage.plain_statements`: detached, a change to them is not
        written); None when there is no such event."""
        row = await _EVENT_WITH_OWN.first(self._session, {"event_id": event_id, "user_id": user_id})
        if row is None:
            return None
        event, registration, seats, waiting = row
        return event, registration, int(seats or 0), int(waiting or 0)

    async def sign_up_facts(self, event_id: int, user_id: int) -> SignUpFacts:
        """The person's own registration, how full the event is and their latest answers,
        read together (call with the event locked)."""
        row = await _SIGN_UP_FACTS.first(self._session, {"event_id": event_id, "user_id": user_id})
        return await self._kept(SignUpFacts.of_row(row))

    async def _kept(self, facts: SignUpFacts) -> SignUpFacts:
        """The facts with the person's registration kept by the session, as the sign-up
        changes it (read as a snapshot, `storage.plain_statements`)."""
        if facts.registration is None:
            return facts
        kept = await self._session.merge(facts.registration, load=False)
        return dataclasses.replace(facts, registration=kept)

    async def lock_with_facts(
        self, event_id: int, user_id: int
    ) -> tuple[Event | None, SignUpFacts]:
        """The event, locked as `EventRepository.lock` does (None when there is none), and the
        facts of a sign-up read after it (`sign_up_facts`). One statement reads both when the
        write has held the event's row from its start (`write_lock.held_from_start`: on SQLite
        the database's write lock, on PostgreSQL a row locked as the transaction began). The
        event is a snapshot to read (`storage.plain_statements`); the registration is kept by the
        session.
        Otherwise two statements: one statement sees what was committed as it began, which may
        be before it waited for the row, so the facts are read once the row is held."""
        params = {"event_id": event_id, "user_id": user_id}
        if not write_lock.held_from_start(self._session, EventRepository.row(event_id)):
            locked = await _LOCKED_EVENT.first(self._session, params)
            if locked is None:
                return None, SignUpFacts.of_row(None)
            return locked[0], await self.sign_up_facts(event_id, user_id)
        row = await _EVENT_AND_SIGN_UP_FACTS.first(self._session, params)
        if row is None:
            return None, SignUpFacts.of_row(None)
        return row[0], await self._kept(SignUpFacts.of_row(row[1:]))

    async def add(self, registration: Registration) -> Registration:
        """A new registration, stored at once (one INSERT, its id filled in)."""
        return await insert_new(self._session, registration)

    async def add_with_messages(
        self,
        registration: Registration,
        messages_for: Callable[[Registration], list[dict[str, Any]]],
        *,
        now: datetime,
    ) -> Registration:
        """A new registration and the outbox messages it brings (`messages_for` gets it with its
        id; as for `OutboxRepository.add_many`), stored together: one statement on
        PostgreSQL."""

        def rows_for(stored: Registration) -> list[dict[str, Any]]:
            return stored_rows(messages_for(stored), now)

        return await insert_new_with_rows(self._session, registration, OutboxMessage, rows_for)

    async def seats_taken(self, event_id: int) -> int:
        """Seats taken: the people every seat-holding registration brings."""
        count = await self._session.scalar(
            select(func.sum(Registration.party_size)).where(
                Registration.event_id == event_id, one_of(Registration.status, SEAT_STATUSES)
            )
        )
        return int(count or 0)

    async def waitlist_length(self, event_id: int) -> int:
        last = await self._session.scalar(
            select(func.max(Registration.waitlist_position)).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
        return int(last or 0)

    async def counts(self, event_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(seats taken, waitlist places) per event: a group takes as many seats as it
        brings and waits in one place."""
        ids = list(event_ids)
        if not ids:
            return {}
        result = await self._session.execute(_COUNTS, {"event_ids": ids})
        found = {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in result}
        return {event_id: found.get(event_id, (0, 0)) for event_id in ids}

    async def first_waitlisted(self, event_id: int, *, fits: int) -> Registration | None:
        """The first on the waitlist whose group fits in `fits` free seats (a group is never
        split; a larger one keeps its place), leaving out places that wait for the offer."""
        result = await self._session.execute(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                Registration.party_size <= fits,
                Registration.waits_for_offer.is_(False),
            )
            .order_by(Registration.waitlist_position)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        return result.scalars().first()

    async def close_gap(self, event_id: int, position: int, now: datetime) -> None:
        """Everyone behind `position` on the waitlist moves up one place."""
        await self._session.execute(
            update(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                Registration.waitlist_position > position,
            )
            .values(waitlist_position=Registration.waitlist_position - 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def of_event(
        self, event_id: int, statuses: Iterable[str] | None = None
    ) -> list[tuple[Registration, User]]:
        """Registrations of an event with their people: seats first (by time), then the waitlist."""
        query = (
            select(Registration, User)
            .join(User, User.id == Registration.user_id)
            .where(Registration.event_id == event_id)
            .order_by(
                Registration.waitlist_position.is_not(None),
                Registration.waitlist_position,
                Registration.confirmed_at,
                Registration.id,
            )
        )
        if statuses is not None:
            query = query.where(Registration.status.in_(list(statuses)))
        result = await self._session.execute(query)
        return [(row[0], row[1]) for row in result]

    async def agenda(self, user_id: int, now: datetime) -> list[tuple[Registration, Event]]:
        """Someone's seats and waitlist places at events that have not ended, soonest first."""
        result = await self._session.execute(
            select(Registration, Event)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.user_id == user_id,
                one_of(
                    Registration.status,
                    (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
                ),
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at > now,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return [(row[0], row[1]) for row in result]

    async def latest_answers(self, user_id: int) -> tuple[str | None, str | None]:
        """Someone's latest answers to the two sign-up questions (age group, place)."""
        row = (await self._session.execute(_LATEST_ANSWERS, {"user_id": user_id})).one()
        return row[0], row[1]

    async def record_counts(self, user_id: int, since: datetime) -> tuple[int, int]:
        """(late cancellations, no-shows) of someone since `since`."""
        late = await self._session.scalar(
            select(func.count(Registration.id)).where(
                Registration.user_id == user_id,
                Registration.late_cancellation.is_(True),
                Registration.cancelled_at > since,
            )
        )
        missed = await self._session.scalar(
            select(func.count(Registration.id))
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.user_id == user_id,
                Registration.status == RegistrationStatus.NO_SHOW,
                Event.starts_at > since,
            )
        )
        return int(late or 0), int(missed or 0)
