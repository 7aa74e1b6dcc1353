"""Rows for the CSV exports: initiatives, events, registrations. Never writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, Initiative, InitiativeMember, InitiativeStatus, Registration, User


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def initiatives(self) -> Sequence[tuple[Initiative, int]]:
        """Every initiative that finished registering, with its number of members."""
        members = (
            select(func.count())
            .where(InitiativeMember.initiative_id == Initiative.id)
            .scalar_subquery()
        )
        result = await self._session.execute(
            select(Initiative, members)
            .where((Initiative.status != InitiativeStatus.DRAFT) | Initiative.draft_step.is_(None))
            .order_by(Initiative.id)
        )
        return [(initiative, int(count)) for initiative, count in result.all()]

    async def events(self, start: datetime | None, end: datetime | None) -> Sequence[Event]:
        statement = select(Event).order_by(Event.starts_at, Event.id)
        statement = _period(statement, Event.starts_at, start, end)
        result = await self._session.execute(statement)
        return result.scalars().all()

    async def registrations(
        self, start: datetime | None, end: datetime | None
    ) -> Sequence[tuple[Registration, Event, User]]:
        statement = (
            select(Registration, Event, User)
            .join(Event, Event.id == Registration.event_id)
            .join(User, User.id == Registration.user_id)
            .order_by(Event.starts_at, Event.id, Registration.id)
        )
        statement = _period(statement, Event.starts_at, start, end)
        result = await self._session.execute(statement)
        return [(registration, event, user) for registration, event, user in result.all()]

    async def seats_taken(self, event_ids: list[int]) -> dict[int, dict[str, int]]:
        """People per status per event (a group counts as the people it brings)."""
        if not event_ids:
            return {}
        result = await self._session.execute(
            select(Registration.event_id, Registration.status, func.sum(Registration.party_size))
            .where(Registration.event_id.in_(event_ids))
            .group_by(Registration.event_id, Registration.status)
        )
        counts: dict[int, dict[str, int]] = {}
        for event_id, status, count in result.all():
            counts.setdefault(int(event_id), {})[str(status)] = int(count)
        return counts


def _period(statement: Any, column: Any, start: datetime | None, end: datetime | None) -> Any:
    if start is not None:
        statement = statement.where(column >= start)
    if end is not None:
        statement = statement.where(column < end)
    return statement
