"""Broadcasts: drafts, the confirm step, progress bookkeeping, the audience query and the
delivery counts read from the outbox. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, Select

from storage.expressions import one_of
from storage.models import (
    Broadcast,
    BroadcastStatus,
    Certificate,
    DigestSubscription,
    Event,
    Initiative,
    InitiativeMember,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from storage.models.events import SEAT_STATUSES
from storage.upsert import rows_touched

_FACILITATOR_ROLES = (Role.FACILITATOR, Role.COORDINATOR)


def _json_has(column: Any, value: str) -> Any:
    """A JSON list column holds `value` (portable: the list's text contains it quoted)."""
    return cast(column, String).like(f'%"{value}"%')


class BroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, broadcast: Broadcast) -> Broadcast:
        self._session.add(broadcast)
        await self._session.flush()
        return broadcast

    async def get(self, broadcast_id: int, *, for_update: bool = False) -> Broadcast | None:
        statement = select(Broadcast).where(Broadcast.id == broadcast_id)
        if for_update:
            statement = statement.with_for_update()
        result = await self._session.execute(statement)
        return result.scalars().first()

    async def start_sending(self, broadcast_id: int, *, urgent: bool, now: datetime) -> bool:
        """Draft → sending, atomically: only one confirm of the same draft wins."""
        result = await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(status=BroadcastStatus.SENDING, urgent=urgent, confirmed_at=now)
        )
        return rows_touched(result) > 0

    async def cancel_draft(self, broadcast_id: int) -> bool:
        result = await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(status=BroadcastStatus.CANCELLED)
        )
        return rows_touched(result) > 0

    async def sending(self) -> Sequence[Broadcast]:
        result = await self._session.execute(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.SENDING)
            .order_by(Broadcast.id)
            # Several processes run the progress job: each broadcast is handled by one of them.
            .with_for_update(skip_locked=True)
        )
        return result.scalars().all()

    async def outcomes(self, subject: str) -> list[tuple[str, str | None, int]]:
        """(status, last error, how many) of the outbox rows of one broadcast."""
        result = await self._session.execute(
            select(OutboxMessage.status, OutboxMessage.last_error, func.count())
            .where(OutboxMessage.subject == subject)
            .group_by(OutboxMessage.status, OutboxMessage.last_error)
        )
        return [(str(status), error, int(count)) for status, error, count in result.all()]

    async def relabel_skipped(self, subject: str, old_prefix: str, reason: str) -> int:
        """Give skipped rows of a broadcast a clearer reason (e.g. "opted out")."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.subject == subject,
                OutboxMessage.status == "skipped",
                OutboxMessage.last_error.startswith(old_prefix),
            )
            .values(last_error=reason)
        )
        return rows_touched(result)

    async def audience_ids(
        self, spec: dict[str, Any], *, opted_out_since: datetime | None = None
    ) -> list[int]:
        """Everyone the spec selects (a union of its segments) who can get announcements:
        reachable and not opted out. With `opted_out_since`, people who opted out after that
        moment are included too (the preview counted them; the sender skips them and the
        report says so)."""
        segments = _segments(spec)
        if not segments:
            return []
        still_in: ColumnElement[bool] = User.announcements_stopped_at.is_(None)
        if opted_out_since is not None:
            still_in = or_(still_in, User.announcements_stopped_at > opted_out_since)
        statement = (
            select(User.id)
            .where(
                User.id.in_(union(*segments).scalar_subquery()),
                User.is_reachable.is_(True),
                still_in,
            )
            .order_by(User.id)
        )
        result = await self._session.execute(statement)
        return [int(user_id) for user_id in result.scalars()]


def _segments(spec: dict[str, Any]) -> list[Select[Any]]:
    segments: list[Select[Any]] = []
    if spec.get("everyone"):
        segments.append(select(User.id))
    if spec.get("facilitators"):
        segments.append(select(User.id).where(User.role.in_(_FACILITATOR_ROLES)))
    levels = [str(level) for level in spec.get("certificates") or []]
    if levels:
        segments.append(
            select(Certificate.user_id)
            .join(User, User.id == Certificate.user_id)
            .where(Certificate.level.in_(levels), User.role.in_(_FACILITATOR_ROLES))
        )
    if spec.get("members"):
        segments.append(select(InitiativeMember.user_id))
    themes = [str(theme) for theme in spec.get("themes") or []]
    places = [str(place) for place in spec.get("municipalities") or []]
    if themes or places:
        initiative_match = or_(
            *[_json_has(Initiative.themes, theme) for theme in themes],
            Initiative.municipality.in_(places),
        )
        segments.append(
            select(InitiativeMember.user_id)
            .join(Initiative, Initiative.id == InitiativeMember.initiative_id)
            .where(initiative_match)
        )
        segments.append(
            select(Registration.user_id)
            .join(Event, Event.id == Registration.event_id)
            .where(
                or_(Event.theme.in_(themes), Event.municipality.in_(places)),
                Registration.status != RegistrationStatus.CANCELLED,
            )
        )
        segments.append(
            select(DigestSubscription.user_id).where(
                DigestSubscription.active.is_(True),
                or_(
                    *[_json_has(DigestSubscription.themes, theme) for theme in themes],
                    *[_json_has(DigestSubscription.municipalities, place) for place in places],
                ),
            )
        )
    events = [int(event_id) for event_id in spec.get("events") or []]
    if events:
        segments.append(
            select(Registration.user_id).where(
                Registration.event_id.in_(events), one_of(Registration.status, SEAT_STATUSES)
            )
        )
    waitlists = [int(event_id) for event_id in spec.get("waitlists") or []]
    if waitlists:
        segments.append(
            select(Registration.user_id).where(
                Registration.event_id.in_(waitlists),
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
    return segments
