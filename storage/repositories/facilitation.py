"""Reading and writing facilitation requests: asking, answering (seats taken atomically), open
calls, the tables to escalate, answer times, and finding the request a chat message belongs
to. Never commits. The pool itself (profiles, unavailability, candidates, debriefs) lives in
`storage/repositories/facilitators.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Event,
    EventStatus,
    FacilitationRequest,
    OpenCall,
    OutboxMessage,
    RequestStatus,
    User,
)
from storage.upsert import rows_touched

# The messages a facilitator may answer by replying to them.
_FACILITATOR_KINDS = (
    "facilitation.request",
    "facilitation.nudge",
    "facilitation.duty_reminder",
    "facilitation.debrief",
)


class FacilitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # Requests --------------------------------------------------------------------------------

    async def add_request(self, request: FacilitationRequest) -> FacilitationRequest:
        self._session.add(request)
        await self._session.flush()
        return request

    async def request(self, request_id: int, *, fresh: bool = False) -> FacilitationRequest | None:
        if fresh:
            return await self._session.get(FacilitationRequest, request_id, populate_existing=True)
        return await self._session.get(FacilitationRequest, request_id)

    async def requests_for_event(self, event_id: int) -> list[tuple[FacilitationRequest, User]]:
        result = await self._session.execute(
            select(FacilitationRequest, User)
            .join(User, User.id == FacilitationRequest.facilitator_id)
            .where(FacilitationRequest.event_id == event_id)
            .order_by(FacilitationRequest.created_at, FacilitationRequest.id)
        )
        return [(request, user) for request, user in result.all()]

    async def active_request(self, event_id: int, user_id: int) -> FacilitationRequest | None:
        """The pending or accepted request of this person for this table, if any."""
        result = await self._session.execute(
            select(FacilitationRequest).where(
                FacilitationRequest.event_id == event_id,
                FacilitationRequest.facilitator_id == user_id,
                FacilitationRequest.status.in_((RequestStatus.PENDING, RequestStatus.ACCEPTED)),
            )
        )
        return result.scalars().first()

    async def open_requests(
        self, user_id: int, now: datetime
    ) -> list[tuple[FacilitationRequest, Event]]:
        """Someone's unanswered requests for tables still ahead, soonest table first."""
        return await self._with_events(user_id, RequestStatus.PENDING, now)

    async def duties(self, user_id: int, now: datetime) -> list[tuple[FacilitationRequest, Event]]:
        """Tables someone said yes to that have not ended yet."""
        return await self._with_events(user_id, RequestStatus.ACCEPTED, now)

    async def _with_events(
        self, user_id: int, status: str, now: datetime
    ) -> list[tuple[FacilitationRequest, Event]]:
        result = await self._session.execute(
            select(FacilitationRequest, Event)
            .join(Event, Event.id == FacilitationRequest.event_id)
            .where(
                FacilitationRequest.facilitator_id == user_id,
                FacilitationRequest.status == status,
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at > now,
            )
            .order_by(Event.starts_at, FacilitationRequest.id)
        )
        return [(request, event) for request, event in result.all()]

    async def set_status(
        self, request_id: int, old: str, new: str, now: datetime, *, via: str | None = None
    ) -> bool:
        """Move a request from `old` to `new`; False when it was no longer `old`."""
        values: dict[str, Any] = {"status": new}
        if old == RequestStatus.PENDING:
            values.update(answered_at=now, answered_via=via)
        if new == RequestStatus.WITHDRAWN:
            values["withdrawn_at"] = now
        result = await self._session.execute(
            update(FacilitationRequest)
            .where(FacilitationRequest.id == request_id, FacilitationRequest.status == old)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return rows_touched(result) > 0

    async def close_pending(self, event_id: int, now: datetime) -> list[int]:
        """Every still pending request for a table that has its facilitators: filled."""
        result = await self._session.execute(
            select(FacilitationRequest.id).where(
                FacilitationRequest.event_id == event_id,
                FacilitationRequest.status == RequestStatus.PENDING,
            )
        )
        ids = [int(request_id) for request_id in result.scalars()]
        if ids:
            await self._session.execute(
                update(FacilitationRequest)
                .where(
                    FacilitationRequest.id.in_(ids),
                    FacilitationRequest.status == RequestStatus.PENDING,
                )
                .values(status=RequestStatus.FILLED, answered_at=None)
                .execution_options(synchronize_session=False)
            )
        return ids

    async def take_seat(self, event_id: int) -> bool:
        """One more confirmed facilitator, only while the table still needs one (atomic)."""
        result = await self._session.execute(
            update(Event)
            .where(Event.id == event_id, Event.facilitators_confirmed < Event.facilitators_needed)
            .values(facilitators_confirmed=Event.facilitators_confirmed + 1)
            .execution_options(synchronize_session=False)
        )
        return rows_touched(result) > 0

    async def give_seat_back(self, event_id: int) -> bool:
        result = await self._session.execute(
            update(Event)
            .where(Event.id == event_id, Event.facilitators_confirmed > 0)
            .values(facilitators_confirmed=Event.facilitators_confirmed - 1)
            .execution_options(synchronize_session=False)
        )
        return rows_touched(result) > 0

    async def request_for_message(self, chat_id: int, message_id: int) -> tuple[str, int] | None:
        """(outbox kind, request id) of the bot's message `message_id` in `chat_id`, when it was
        a facilitation message (a request, its reminder or a debrief question)."""
        result = await self._session.execute(
            select(OutboxMessage.kind, OutboxMessage.params).where(
                OutboxMessage.recipient_id == chat_id,
                OutboxMessage.telegram_message_id == message_id,
                OutboxMessage.kind.in_(_FACILITATOR_KINDS),
            )
        )
        row = result.first()
        if row is None or "request_id" not in row[1]:
            return None
        return str(row[0]), int(row[1]["request_id"])

    # Open calls ------------------------------------------------------------------------------

    async def add_open_call(self, event_id: int, created_by: int | None, now: datetime) -> OpenCall:
        call = OpenCall(event_id=event_id, created_by=created_by, invited=0, created_at=now)
        self._session.add(call)
        await self._session.flush()
        return call

    async def close_open_calls(self, event_id: int, now: datetime) -> None:
        await self._session.execute(
            update(OpenCall)
            .where(OpenCall.event_id == event_id, OpenCall.closed_at.is_(None))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )

    # Escalation ------------------------------------------------------------------------------

    async def tables_missing_facilitators(self, now: datetime, until: datetime) -> list[Event]:
        result = await self._session.execute(
            select(Event)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > now,
                Event.starts_at <= until,
                Event.facilitators_confirmed < Event.facilitators_needed,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return list(result.scalars())

    async def pending_counts(self, event_ids: Sequence[int]) -> dict[int, int]:
        """How many requests still wait for an answer, per table."""
        if not event_ids:
            return {}
        result = await self._session.execute(
            select(FacilitationRequest.event_id, func.count())
            .where(
                FacilitationRequest.event_id.in_(list(event_ids)),
                FacilitationRequest.status == RequestStatus.PENDING,
            )
            .group_by(FacilitationRequest.event_id)
        )
        return {int(event_id): int(count) for event_id, count in result.all()}

    async def active_for_called_off(self, event_id: int | None = None) -> list[FacilitationRequest]:
        """Pending and accepted requests for tables that were called off (of one table, with
        `event_id`)."""
        statement = (
            select(FacilitationRequest)
            .join(Event, Event.id == FacilitationRequest.event_id)
            .where(
                FacilitationRequest.status.in_((RequestStatus.PENDING, RequestStatus.ACCEPTED)),
                Event.status == EventStatus.CANCELLED,
            )
            .order_by(FacilitationRequest.id)
        )
        if event_id is not None:
            statement = statement.where(Event.id == event_id)
        result = await self._session.execute(statement)
        return list(result.scalars())

    async def accepted_for(self, event_id: int) -> list[FacilitationRequest]:
        """Who said yes to lead this table."""
        result = await self._session.execute(
            select(FacilitationRequest)
            .where(
                FacilitationRequest.event_id == event_id,
                FacilitationRequest.status == RequestStatus.ACCEPTED,
            )
            .order_by(FacilitationRequest.id)
        )
        return list(result.scalars())

    async def accepted_upcoming(self, now: datetime) -> list[tuple[FacilitationRequest, Event]]:
        result = await self._session.execute(
            select(FacilitationRequest, Event)
            .join(Event, Event.id == FacilitationRequest.event_id)
            .where(
                FacilitationRequest.status == RequestStatus.ACCEPTED,
                Event.status == EventStatus.PUBLISHED,
                or_(Event.starts_at > now, Event.ends_at > now),
            )
        )
        return [(request, event) for request, event in result.all()]

    async def answer_times(self, start: datetime, end: datetime) -> list[tuple[str, float | None]]:
        """(status, hours to answer) of the requests asked in [start, end); taken back or filled
        by someone else before an answer are left out."""
        result = await self._session.execute(
            select(
                FacilitationRequest.status,
                FacilitationRequest.created_at,
                FacilitationRequest.answered_at,
            ).where(
                FacilitationRequest.created_at >= start,
                FacilitationRequest.created_at < end,
                FacilitationRequest.status.not_in((RequestStatus.CANCELLED, RequestStatus.FILLED)),
            )
        )
        times: list[tuple[str, float | None]] = []
        for status, asked, answered in result.all():
            hours = (answered - asked).total_seconds() / 3600 if answered else None
            times.append((str(status), hours))
        return times
