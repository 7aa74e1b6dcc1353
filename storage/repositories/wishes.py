"""Standing wishes (the flexible waitlist): add, list, remove, and who matches an event.
Never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, Registration, RegistrationStatus, StandingWish
from storage.upsert import insert_or_ignore, rows_touched


class WishRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, values: dict[str, object]) -> bool:
        """True when the wish is new (the same one twice is kept once)."""
        return await insert_or_ignore(self._session, StandingWish, values)

    async def of_user(self, user_id: int, now: datetime) -> list[StandingWish]:
        """Someone's wishes whose period hasn't ended, soonest first."""
        result = await self._session.execute(
            select(StandingWish)
            .where(StandingWish.user_id == user_id, StandingWish.starts_before > now)
            .order_by(StandingWish.starts_after, StandingWish.id)
        )
        return list(result.scalars())

    async def remove(self, wish_id: int, user_id: int) -> bool:
        result = await self._session.execute(
            delete(StandingWish).where(StandingWish.id == wish_id, StandingWish.user_id == user_id)
        )
        return rows_touched(result) > 0

    async def matching(self, event: Event) -> list[StandingWish]:
        """Wishes that fit the event, oldest first, of people without an active place at it."""
        active = select(Registration.user_id).where(
            Registration.event_id == event.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
        )
        result = await self._session.execute(
            select(StandingWish)
            .where(
                StandingWish.kind == event.kind,
                or_(
                    StandingWish.municipality == "", StandingWish.municipality == event.municipality
                ),
                or_(StandingWish.level == "", StandingWish.level == (event.level or "")),
                StandingWish.starts_after <= event.starts_at,
                StandingWish.starts_before > event.starts_at,
                StandingWish.user_id.not_in(active),
            )
            .order_by(StandingWish.created_at, StandingWish.id)
        )
        return list(result.scalars())
