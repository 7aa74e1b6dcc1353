"""What the map shows: the public columns of published initiatives and of upcoming published
events, as plain rows (no ORM objects: 100,000 of them load fast), and a version that changes
whenever any of them changes. Never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    EventStatus,
    Initiative,
    InitiativeStatus,
)
from storage.repositories.event_counts import SEATS_OF_EVENT

# The columns a public card shows; nothing else ever leaves through the map.
PUBLIC_INITIATIVE_COLUMNS = (
    Initiative.id,
    Initiative.name,
    Initiative.description,
    Initiative.themes,
    Initiative.municipality,
    Initiative.neighbourhood,
    Initiative.lat,
    Initiative.lon,
    Initiative.website,
    Initiative.email,
    Initiative.phone,
    Initiative.telegram,
)
PUBLIC_EVENT_COLUMNS = (
    Event.id,
    Event.kind,
    Event.title,
    Event.description,
    Event.theme,
    Event.level,
    Event.starts_at,
    Event.ends_at,
    Event.venue,
    Event.address,
    Event.municipality,
    Event.latitude,
    Event.longitude,
    Event.capacity,
    Event.registration_deadline,
)


class MapRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def initiatives(self) -> list[Any]:
        """Every published initiative's public columns, by id."""
        query = (
            select(*PUBLIC_INITIATIVE_COLUMNS)
            .where(Initiative.status == InitiativeStatus.PUBLISHED)
            .order_by(Initiative.id)
        )
        return list((await self._session.execute(query)).all())

    async def events(self, now: datetime) -> list[tuple[Any, int]]:
        """Every upcoming published event's public columns with the seats taken, soonest first."""
        query = (
            select(*PUBLIC_EVENT_COLUMNS, SEATS_OF_EVENT.label("taken"))
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
            .order_by(Event.starts_at, Event.id)
        )
        return [(row, int(row.taken or 0)) for row in (await self._session.execute(query)).all()]

    async def initiatives_version(self) -> tuple[int, datetime | None]:
        """(how many, last change) of all initiatives: any publication, change or removal
        changes it, so it names one state of the map's initiatives."""
        count, changed = (
            await self._session.execute(
                select(func.count(Initiative.id), func.max(Initiative.updated_at))
            )
        ).one()
        return int(count or 0), changed
