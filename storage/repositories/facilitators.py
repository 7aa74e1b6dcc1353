"""Reading and writing the facilitator pool: profiles (preferences), certificates granted by
hand, unavailable periods, who can be asked for a table, and debriefs. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AvailableDay,
    Certificate,
    Debrief,
    Event,
    EventStatus,
    FacilitationRequest,
    FacilitatorProfile,
    RequestStatus,
    Role,
    Unavailability,
    User,
)
from storage.upsert import insert_or_ignore, rows_touched


class FacilitatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # Profiles --------------------------------------------------------------------------------

    async def profile(self, user_id: int, now: datetime) -> FacilitatorProfile:
        """The facilitator's profile, created empty the first time."""
        await insert_or_ignore(
            self._session,
            FacilitatorProfile,
            {"user_id": user_id, "themes": [], "municipalities": [], "updated_at": now},
        )
        found = await self._session.get(FacilitatorProfile, user_id, populate_existing=True)
        assert found is not None
        return found

    async def profiles(self, user_ids: Sequence[int]) -> dict[int, FacilitatorProfile]:
        if not user_ids:
            return {}
        result = await self._session.execute(
            select(FacilitatorProfile).where(FacilitatorProfile.user_id.in_(list(user_ids)))
        )
        return {profile.user_id: profile for profile in result.scalars()}

    async def mark_asked(self, user_ids: Sequence[int], now: datetime) -> None:
        for user_id in user_ids:
            profile = await self.profile(user_id, now)
            profile.last_asked_at = now

    async def facilitator_by_first_name(self, name: str) -> User | None:
        """The one facilitator (or coordinator) with this first name; None if none or several."""
        result = await self._session.execute(
            select(User)
            .where(
                func.lower(User.first_name) == name.strip().lower(),
                User.role.in_((Role.FACILITATOR, Role.COORDINATOR)),
            )
            .limit(2)
        )
        found = list(result.scalars())
        return found[0] if len(found) == 1 else None

    async def grant_certificate(self, user_id: int, level: str, now: datetime) -> bool:
        return await insert_or_ignore(
            self._session,
            Certificate,
            {"user_id": user_id, "level": level, "event_id": None, "granted_at": now},
        )

    # Unavailability --------------------------------------------------------------------------

    async def add_unavailability(
        self, user_id: int, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> Unavailability:
        period = Unavailability(
            user_id=user_id, starts_at=starts_at, ends_at=ends_at, created_at=now
        )
        self._session.add(period)
        await self._session.flush()
        return period

    async def unavailability(self, user_id: int, now: datetime) -> list[Unavailability]:
        """Periods not yet over, soonest first."""
        result = await self._session.execute(
            select(Unavailability)
            .where(Unavailability.user_id == user_id, Unavailability.ends_at > now)
            .order_by(Unavailability.starts_at, Unavailability.id)
        )
        return list(result.scalars())

    async def remove_unavailability(self, user_id: int, period_id: int) -> bool:
        period = await self._session.get(Unavailability, period_id)
        if period is None or period.user_id != user_id:
            return False
        await self._session.delete(period)
        await self._session.flush()
        return True

    # Candidates ------------------------------------------------------------------------------

    async def candidates(self, event: Event, level: str, granted_after: datetime) -> list[User]:
        """Facilitators (and coordinators) with the certificate `level`, granted after
        `granted_after` (still valid at the table), who are not unavailable and not busy at
        another table at that time, least recently asked first."""
        busy = (
            select(FacilitationRequest.facilitator_id)
            .join(Event, Event.id == FacilitationRequest.event_id)
            .where(
                FacilitationRequest.status == RequestStatus.ACCEPTED,
                Event.id != event.id,
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at < event.ends_at,
                Event.ends_at > event.starts_at,
            )
        )
        away = select(Unavailability.user_id).where(
            Unavailability.starts_at < event.ends_at, Unavailability.ends_at > event.starts_at
        )
        certified = select(Certificate.user_id).where(
            Certificate.level == level, Certificate.granted_at > granted_after
        )
        result = await self._session.execute(
            select(User)
            .outerjoin(FacilitatorProfile, FacilitatorProfile.user_id == User.id)
            .where(
                User.role.in_((Role.FACILITATOR, Role.COORDINATOR)),
                User.is_reachable.is_(True),
                User.id.in_(certified),
                User.id.not_in(busy),
                User.id.not_in(away),
            )
            .order_by(
                FacilitatorProfile.last_asked_at.is_not(None),
                FacilitatorProfile.last_asked_at,
                User.id,
            )
        )
        return list(result.scalars())

    async def accepted_between(
        self, user_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, int]:
        """How many tables each person said yes to that start in [start, end)."""
        if not user_ids:
            return {}
        result = await self._session.execute(
            select(FacilitationRequest.facilitator_id, func.count())
            .join(Event, Event.id == FacilitationRequest.event_id)
            .where(
                FacilitationRequest.facilitator_id.in_(list(user_ids)),
                FacilitationRequest.status == RequestStatus.ACCEPTED,
                Event.starts_at >= start,
                Event.starts_at < end,
            )
            .group_by(FacilitationRequest.facilitator_id)
        )
        return {int(user_id): int(count) for user_id, count in result.all()}

    # The monthly availability poll --------------------------------------------------------------

    async def pollable(self) -> list[User]:
        """Who is asked on which days they can lead a table: facilitators (and coordinators)
        holding a certificate, who can be reached."""
        result = await self._session.execute(
            select(User)
            .where(
                User.role.in_((Role.FACILITATOR, Role.COORDINATOR)),
                User.is_reachable.is_(True),
                User.id.in_(select(Certificate.user_id)),
            )
            .order_by(User.id)
        )
        return list(result.scalars())

    async def available_days(self, user_id: int, first: date, last: date) -> set[date]:
        """The days in [first, last) this person said they can lead a table."""
        result = await self._session.execute(
            select(AvailableDay.day).where(
                AvailableDay.user_id == user_id, AvailableDay.day >= first, AvailableDay.day < last
            )
        )
        return set(result.scalars())

    async def set_available(self, user_id: int, day: date, available: bool, now: datetime) -> None:
        if available:
            await insert_or_ignore(
                self._session, AvailableDay, {"user_id": user_id, "day": day, "created_at": now}
            )
        else:
            await self._session.execute(
                delete(AvailableDay).where(AvailableDay.user_id == user_id, AvailableDay.day == day)
            )

    async def available_by_day(self, first: date, last: date) -> dict[date, set[int]]:
        """Per day in [first, last): who said they can lead a table then."""
        result = await self._session.execute(
            select(AvailableDay.day, AvailableDay.user_id).where(
                AvailableDay.day >= first, AvailableDay.day < last
            )
        )
        found: dict[date, set[int]] = {}
        for day, user_id in result.all():
            found.setdefault(day, set()).add(int(user_id))
        return found

    async def forget_days_before(self, day: date) -> int:
        """Available days that have passed mean nothing any more."""
        result = await self._session.execute(delete(AvailableDay).where(AvailableDay.day < day))
        return rows_touched(result)

    async def is_unavailable(self, user_id: int, start: datetime, end: datetime) -> bool:
        found = await self._session.scalar(
            select(func.count()).where(
                Unavailability.user_id == user_id,
                Unavailability.starts_at < end,
                Unavailability.ends_at > start,
            )
        )
        return bool(found)

    # Debriefs --------------------------------------------------------------------------------

    async def save_debrief(
        self, event_id: int, facilitator_id: int, participants: int, topics: str, now: datetime
    ) -> Debrief:
        result = await self._session.execute(
            select(Debrief).where(
                Debrief.event_id == event_id, Debrief.facilitator_id == facilitator_id
            )
        )
        debrief = result.scalars().first()
        if debrief is None:
            debrief = Debrief(event_id=event_id, facilitator_id=facilitator_id)
            self._session.add(debrief)
        debrief.participants = participants
        debrief.topics = topics
        debrief.submitted_at = now
        await self._session.flush()
        return debrief

    async def debriefs(
        self, start: datetime | None, end: datetime | None
    ) -> list[tuple[Debrief, Event]]:
        statement = select(Debrief, Event).join(Event, Event.id == Debrief.event_id)
        if start is not None:
            statement = statement.where(Event.starts_at >= start)
        if end is not None:
            statement = statement.where(Event.starts_at < end)
        result = await self._session.execute(statement.order_by(Event.starts_at, Debrief.id))
        return [(debrief, event) for debrief, event in result.all()]
