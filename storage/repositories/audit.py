"""The audit log of admin actions: writing entries and reading them back. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        actor_id: int | None,
        action: str,
        target: str,
        details: dict[str, Any],
        at: datetime,
    ) -> AuditEntry:
        entry = AuditEntry(
            actor_id=actor_id, action=action, target=target[:120], details=details, at=at
        )
        self._session.add(entry)
        await self._session.flush()
        return entry

    async def latest(self, limit: int, *, action: str | None = None) -> Sequence[AuditEntry]:
        statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if action:
            statement = statement.where(AuditEntry.action.startswith(action))
        result = await self._session.execute(statement.limit(limit))
        return result.scalars().all()

    async def between(self, start: datetime | None, end: datetime | None) -> Sequence[AuditEntry]:
        statement = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
        if start is not None:
            statement = statement.where(AuditEntry.at >= start)
        if end is not None:
            statement = statement.where(AuditEntry.at < end)
        result = await self._session.execute(statement)
        return result.scalars().all()
