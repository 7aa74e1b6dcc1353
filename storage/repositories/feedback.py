"""Feedback after tables: who to ask, one row per participant and table, the ratings of a
period. Never commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, EventKind, EventStatus, Registration, TableFeedback


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def participants_of_tables_ended(
        self, after: datetime, before: datetime, statuses: Iterable[str]
    ) -> list[tuple[Event, Registration]]:
        result = await self._session.execute(
            select(Event, Registration)
            .join(Registration, Registration.event_id == Event.id)
            .where(
                Event.kind == EventKind.TABLE,
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at > after,
                Event.ends_at <= before,
                Registration.status.in_(list(statuses)),
                Registration.user_id.is_not(None),
            )
            .order_by(Event.id, Registration.id)
        )
        return [(event, registration) for event, registration in result.all()]

    async def of(self, event_id: int, user_id: int) -> TableFeedback | None:
        result = await self._session.execute(
            select(TableFeedback).where(
                TableFeedback.event_id == event_id, TableFeedback.user_id == user_id
            )
        )
        return result.scalars().first()

    async def add(self, feedback: TableFeedback) -> TableFeedback:
        self._session.add(feedback)
        await self._session.flush()
        return feedback

    async def ratings(self, start: datetime, end: datetime) -> list[tuple[int, str | None, str]]:
        """(rating, theme, municipality) of tables held in the period."""
        result = await self._session.execute(
            select(TableFeedback.rating, Event.theme, Event.municipality)
            .join(Event, Event.id == TableFeedback.event_id)
            .where(Event.starts_at >= start, Event.starts_at < end)
        )
        return [(int(rating), theme, municipality) for rating, theme, municipality in result.all()]

    async def between(
        self, start: datetime | None, end: datetime | None
    ) -> list[tuple[TableFeedback, Event]]:
        """Feedback on tables held in the period (open ends: all)."""
        statement = select(TableFeedback, Event).join(Event, Event.id == TableFeedback.event_id)
        if start is not None:
            statement = statement.where(Event.starts_at >= start)
        if end is not None:
            statement = statement.where(Event.starts_at < end)
        result = await self._session.execute(statement.order_by(Event.starts_at, TableFeedback.id))
        return [(feedback, event) for feedback, event in result.all()]
