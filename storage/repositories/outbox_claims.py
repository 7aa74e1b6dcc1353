"""Claiming due outbox rows for delivery and recording the outcome. Never commits.

Claiming is one atomic statement: PostgreSQL picks rows with `FOR UPDATE SKIP LOCKED`, so two
processes never claim the same row; SQLite runs one claiming worker whose conditional UPDATE
runs under the database's write lock. A claim is a lease: if the process dies, the row becomes
claimable again once `lease_until` has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus
from storage.upsert import rows_touched

PENDING = OutboxStatus.PENDING
SENDING = OutboxStatus.SENDING


class OutboxClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        """Take up to `limit` due rows (and rows whose lease expired), oldest first."""
        claimable = or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
            and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
        )
        candidates = (
            select(OutboxMessage.id)
            .where(claimable)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
        )
        values = {
            "status": SENDING,
            "lease_until": now + lease,
            "attempts": OutboxMessage.attempts + 1,
            "updated_at": now,
        }
        if self._session.bind is not None and self._session.bind.dialect.name == "postgresql":
            # A materialised CTE runs the locking SELECT exactly once. Inside `IN (…)` the planner
            # may run it again per row, and with SKIP LOCKED each run can pick other rows.
            chosen = (
                candidates.with_for_update(skip_locked=True)
                .cte("chosen")
                .prefix_with("MATERIALIZED", dialect="postgresql")
            )
            statement = (
                update(OutboxMessage)
                .where(OutboxMessage.id == chosen.c.id, claimable)
                .values(**values)
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            )
        else:
            statement = (
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(candidates.scalar_subquery()), claimable)
                .values(**values)
                .returning(OutboxMessage)
                .execution_options(synchronize_session=False)
            )
        result = await self._session.execute(statement)
        return sorted(result.scalars().all(), key=lambda row: (row.due_at, row.id))

    async def finish(
        self,
        row_id: int,
        status: OutboxStatus,
        now: datetime,
        *,
        error: str | None = None,
        telegram_message_id: int | None = None,
    ) -> bool:
        """Record the outcome of a claimed row; False if the claim was lost meanwhile."""
        values: dict[str, object] = {
            "status": status.value,
            "updated_at": now,
            "lease_until": None,
            "last_error": error,
        }
        if status is OutboxStatus.SENT:
            values.update(sent_at=now, telegram_message_id=telegram_message_id)
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == SENDING)
            .values(**values)
        )
        return rows_touched(result) > 0

    async def extend(self, row_id: int, attempt: int, now: datetime, lease: timedelta) -> bool:
        """Renew our claim (the one that made `attempt`) before sending; False when it was lost:
        the lease ran out and another sender claimed the row, or it was settled meanwhile."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row_id,
                OutboxMessage.status == SENDING,
                OutboxMessage.attempts == attempt,
            )
            .values(lease_until=now + lease, updated_at=now)
        )
        return rows_touched(result) > 0

    async def release(
        self,
        row_id: int,
        due_at: datetime,
        now: datetime,
        *,
        error: str | None = None,
        refund_attempt: bool = False,
    ) -> bool:
        """Put a claimed row back as pending, to be tried again at `due_at`."""
        values: dict[str, object] = {
            "status": PENDING,
            "due_at": due_at,
            "lease_until": None,
            "updated_at": now,
            "last_error": error,
        }
        if refund_attempt:
            values["attempts"] = OutboxMessage.attempts - 1
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == SENDING)
            .values(**values)
        )
        return rows_touched(result) > 0
