"""Outbox rows: scheduling, moving, cancelling. Never commits. Claiming for delivery lives in
`storage/repositories/outbox_claims.py`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus
from storage.upsert import insert_many_or_ignore, insert_or_ignore, rows_touched

_OPEN = (OutboxStatus.PENDING,)


def _row(
    key: str,
    recipient_id: int,
    kind: str,
    params: dict[str, Any],
    due_at: datetime,
    subject: str | None,
    urgent: bool,
    now: datetime,
) -> dict[str, Any]:
    return {
        "key": key,
        "subject": subject,
        "recipient_id": recipient_id,
        "kind": kind,
        "params": params,
        "due_at": due_at,
        "urgent": urgent,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def stored_rows(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Messages to schedule (as for `OutboxRepository.add`, without `now`) as rows to store."""
    return [_row(now=now, **row) for row in rows]


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        key: str,
        recipient_id: int,
        kind: str,
        params: dict[str, Any],
        due_at: datetime,
        subject: str | None,
        urgent: bool,
        now: datetime,
    ) -> bool:
        """Insert unless a row with this key exists (any status); True when inserted."""
        row = _row(key, recipient_id, kind, params, due_at, subject, urgent, now)
        return await insert_or_ignore(self._session, OutboxMessage, row)

    async def add_many(self, rows: list[dict[str, Any]], *, now: datetime) -> int:
        """Several messages in one INSERT (each as for `add`, without `now`); how many were new."""
        return await insert_many_or_ignore(self._session, OutboxMessage, stored_rows(rows, now))

    async def revive_cancelled(self, rows: list[dict[str, Any]], *, now: datetime) -> int:
        """Schedule again, under the same key, messages that were cancelled before they were
        sent (reminders back at an earlier moment); rows sent or pending stay as they are."""
        revived = 0
        for row in rows:
            result = await self._session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.key == row["key"],
                    OutboxMessage.status == OutboxStatus.CANCELLED,
                    OutboxMessage.sent_at.is_(None),
                )
                .values(
                    status=OutboxStatus.PENDING,
                    due_at=row["due_at"],
                    params=row["params"],
                    attempts=0,
                    last_error=None,
                    lease_until=None,
                    updated_at=now,
                )
            )
            revived += rows_touched(result)
        return revived

    async def sent_recipients(self, *, kind: str, subject: str) -> list[int]:
        """Who got a message of `kind` about `subject` delivered."""
        result = await self._session.execute(
            select(OutboxMessage.recipient_id).where(
                OutboxMessage.kind == kind,
                OutboxMessage.subject == subject,
                OutboxMessage.status == OutboxStatus.SENT,
            )
        )
        return list(result.scalars())

    async def newest(self, *, kind: str, subject: str) -> datetime | None:
        """When the newest message of `kind` about `subject` was scheduled (any status)."""
        return await self._session.scalar(
            select(OutboxMessage.created_at)
            .where(OutboxMessage.kind == kind, OutboxMessage.subject == subject)
            .order_by(OutboxMessage.created_at.desc())
            .limit(1)
        )

    async def by_key(self, key: str) -> OutboxMessage | None:
        result = await self._session.execute(select(OutboxMessage).where(OutboxMessage.key == key))
        return result.scalars().first()

    async def move(self, key: str, due_at: datetime, now: datetime) -> bool:
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == key, OutboxMessage.status.in_(_OPEN))
            .values(due_at=due_at, updated_at=now)
        )
        return rows_touched(result) > 0

    async def cancel_where(self, *conditions: Any, now: datetime) -> int:
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status.in_(_OPEN), *conditions)
            .values(status=OutboxStatus.CANCELLED, updated_at=now, lease_until=None)
        )
        return rows_touched(result)

    async def count_open(self) -> int:
        """Rows still waiting or being sent."""
        statement = select(func.count()).where(
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
        )
        return int(await self._session.scalar(statement) or 0)

    async def backlog(self, now: datetime) -> tuple[int, datetime | None]:
        """Messages due now or being sent, and the due moment of the oldest of them."""
        statement = select(func.count(), func.min(OutboxMessage.due_at)).where(
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            OutboxMessage.due_at <= now,
        )
        count, oldest = (await self._session.execute(statement)).one()
        return int(count or 0), oldest

    async def pending_for(self, recipient_id: int) -> list[OutboxMessage]:
        result = await self._session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.recipient_id == recipient_id, OutboxMessage.status.in_(_OPEN))
            .order_by(OutboxMessage.due_at)
        )
        return list(result.scalars())

    async def for_subject(self, subject: str) -> list[OutboxMessage]:
        result = await self._session.execute(
            select(OutboxMessage).where(OutboxMessage.subject == subject).order_by(OutboxMessage.id)
        )
        return list(result.scalars())
