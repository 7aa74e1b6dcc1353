"""The figures coordinators report to funders, counted in the database. Never writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.expressions import one_of
from storage.models import (
    Event,
    EventStatus,
    Initiative,
    InitiativeStatus,
    Registration,
    RegistrationStatus,
    User,
)
from storage.models.events import SEAT_STATUSES

_HELD = (EventStatus.PUBLISHED, EventStatus.COMPLETED)


class StatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _count(self, statement: object) -> int:
        return int(await self._session.scalar(statement) or 0)  # type: ignore[call-overload]

    async def users(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(everyone known by `end`, new in the period)."""
        total = await self._count(select(func.count(User.id)).where(User.created_at < end))
        new = await self._count(
            select(func.count(User.id)).where(User.created_at >= start, User.created_at < end)
        )
        return total, new

    async def initiatives(self, outdated_before: datetime) -> tuple[int, int]:
        """(published now, of which not confirmed since `outdated_before`)."""
        published = Initiative.status == InitiativeStatus.PUBLISHED
        total = await self._count(select(func.count(Initiative.id)).where(published))
        outdated = await self._count(
            select(func.count(Initiative.id)).where(
                published, Initiative.last_confirmed_at < outdated_before
            )
        )
        return total, outdated

    def _in_period(self, start: datetime, end: datetime) -> ColumnElement[bool]:
        return and_(Event.starts_at >= start, Event.starts_at < end)

    async def events_per_kind(self, start: datetime, end: datetime) -> dict[str, int]:
        result = await self._session.execute(
            select(Event.kind, func.count(Event.id))
            .where(self._in_period(start, end), Event.status.in_(_HELD))
            .group_by(Event.kind)
        )
        return {str(kind): int(count) for kind, count in result.all()}

    async def cancelled_events(self, start: datetime, end: datetime) -> int:
        return await self._count(
            select(func.count(Event.id)).where(
                self._in_period(start, end),
                Event.status == EventStatus.CANCELLED,
            )
        )

    async def capacity(self, start: datetime, end: datetime) -> int:
        return await self._count(
            select(func.coalesce(func.sum(Event.capacity), 0)).where(
                self._in_period(start, end),
                Event.status.in_(_HELD),
            )
        )

    async def registrations_by_status(self, start: datetime, end: datetime) -> dict[str, int]:
        """People registered for the events held in the period, by status (a group
        counts as the people it brings)."""
        result = await self._session.execute(
            select(Registration.status, func.sum(Registration.party_size))
            .join(Event, Event.id == Registration.event_id)
            .where(self._in_period(start, end), Event.status.in_(_HELD))
            .group_by(Registration.status)
        )
        return {str(status): int(count) for status, count in result.all()}

    async def participants(self, start: datetime, end: datetime) -> int:
        """Different people with a seat at an event held in the period. A seat anonymised by
        retention or erasure (no person any more) counts as one more person; the others a
        group brings count as people of their own."""
        return await self._count(
            select(
                func.count(func.distinct(Registration.user_id))
                + func.coalesce(
                    func.sum(Registration.party_size).filter(Registration.user_id.is_(None)), 0
                )
                + func.coalesce(
                    func.sum(Registration.party_size - 1).filter(Registration.user_id.is_not(None)),
                    0,
                )
            )
            .join(Event, Event.id == Registration.event_id)
            .where(
                self._in_period(start, end),
                Event.status.in_(_HELD),
                one_of(Registration.status, SEAT_STATUSES),
            )
        )

    async def promotions(self, start: datetime, end: datetime) -> int:
        """Seats that went to someone from the waitlist."""
        return await self._count(
            select(func.sum(Registration.party_size))
            .join(Event, Event.id == Registration.event_id)
            .where(
                self._in_period(start, end),
                one_of(Registration.status, SEAT_STATUSES),
                Registration.waitlisted_at.is_not(None),
            )
        )

    async def locations(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(different venues, different municipalities) of the events held in the period."""
        result = await self._session.execute(
            select(Event.venue, Event.municipality)
            .where(self._in_period(start, end), Event.status.in_(_HELD))
            .distinct()
        )
        rows = [(venue.strip().lower(), municipality) for venue, municipality in result.all()]
        return len(set(rows)), len({municipality for _venue, municipality in rows})

    async def signup_times(self, start: datetime, end: datetime) -> list[datetime]:
        """The start of the event of each seat taken for an event in the period (confirmed,
        attended or no-show): counted by the event's date, like attendance, so a month never
        shows more people present than signed up. A group is there once per person."""
        result = await self._session.execute(
            select(Event.starts_at, Registration.party_size)
            .join(Registration, Registration.event_id == Event.id)
            .where(
                self._in_period(start, end),
                Registration.status.in_(
                    (
                        RegistrationStatus.CONFIRMED,
                        RegistrationStatus.ATTENDED,
                        RegistrationStatus.NO_SHOW,
                    )
                ),
            )
        )
        return [starts for starts, people in result.all() for _person in range(people)]

    async def attendance_times(self, start: datetime, end: datetime) -> list[datetime]:
        """The start of the event of each person present in the period."""
        result = await self._session.execute(
            select(Event.starts_at, Registration.party_size)
            .join(Registration, Registration.event_id == Event.id)
            .where(
                self._in_period(start, end),
                Registration.status == RegistrationStatus.ATTENDED,
            )
        )
        return [starts for starts, people in result.all() for _person in range(people)]
