"""Initiatives, their members, invitations and join requests. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Initiative,
    InitiativeInvite,
    InitiativeJoinRequest,
    InitiativeMember,
    InitiativeStatus,
    MemberRole,
    User,
)
from storage.upsert import insert_or_ignore, rows_touched


class InitiativeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, initiative: Initiative) -> Initiative:
        self._session.add(initiative)
        await self._session.flush()
        return initiative

    async def get(self, initiative_id: int, *, for_update: bool = False) -> Initiative | None:
        statement = select(Initiative).where(Initiative.id == initiative_id)
        if for_update:
            statement = statement.with_for_update()
        result = await self._session.execute(statement)
        return result.scalars().first()

    async def delete(self, initiative: Initiative) -> None:
        await self._session.delete(initiative)
        await self._session.flush()

    async def by_refs(self, refs: Sequence[str]) -> dict[str, Initiative]:
        found: dict[str, Initiative] = {}
        for start in range(0, len(refs), 500):
            result = await self._session.execute(
                select(Initiative).where(Initiative.ref.in_(refs[start : start + 500]))
            )
            found.update({i.ref: i for i in result.scalars() if i.ref is not None})
        return found

    async def for_member(self, user_id: int) -> list[tuple[Initiative, str]]:
        """The user's initiatives with their role, newest first."""
        result = await self._session.execute(
            select(Initiative, InitiativeMember.role)
            .join(InitiativeMember, InitiativeMember.initiative_id == Initiative.id)
            .where(InitiativeMember.user_id == user_id)
            .order_by(Initiative.created_at.desc(), Initiative.id.desc())
        )
        return [(initiative, role) for initiative, role in result.all()]

    async def unfinished_draft(self, user_id: int) -> Initiative | None:
        result = await self._session.execute(
            select(Initiative)
            .where(
                Initiative.created_by == user_id,
                Initiative.status == InitiativeStatus.DRAFT,
                Initiative.draft_step.is_not(None),
            )
            .order_by(Initiative.updated_at.desc(), Initiative.id.desc())
        )
        return result.scalars().first()

    async def published_in(self, municipality: str) -> Sequence[Initiative]:
        result = await self._session.execute(
            select(Initiative).where(
                Initiative.status == InitiativeStatus.PUBLISHED,
                Initiative.municipality == municipality,
            )
        )
        return result.scalars().all()

    async def published_within(
        self, lat: float, lon: float, lat_span: float, lon_span: float
    ) -> Sequence[Initiative]:
        result = await self._session.execute(
            select(Initiative).where(
                Initiative.status == InitiativeStatus.PUBLISHED,
                Initiative.lat.between(lat - lat_span, lat + lat_span),
                Initiative.lon.between(lon - lon_span, lon + lon_span),
            )
        )
        return result.scalars().all()

    async def due_for_freshness(
        self, confirmed_before: datetime, *, after_id: int = 0, limit: int = 500
    ) -> list[tuple[int, datetime]]:
        """Published initiatives last confirmed before the moment: (id, last confirmation),
        a page at a time in the order of their ids."""
        result = await self._session.execute(
            select(Initiative.id, Initiative.last_confirmed_at)
            .where(
                Initiative.status == InitiativeStatus.PUBLISHED,
                Initiative.last_confirmed_at < confirmed_before,
                Initiative.id > after_id,
            )
            .order_by(Initiative.id)
            .limit(limit)
        )
        return [(row_id, confirmed) for row_id, confirmed in result.all() if confirmed]

    # Members

    async def add_member(self, initiative_id: int, user_id: int, role: str, now: datetime) -> bool:
        return await insert_or_ignore(
            self._session,
            InitiativeMember,
            {"initiative_id": initiative_id, "user_id": user_id, "role": role, "joined_at": now},
        )

    async def member(self, initiative_id: int, user_id: int) -> InitiativeMember | None:
        return await self._session.get(InitiativeMember, (initiative_id, user_id))

    async def members(self, initiative_id: int) -> list[tuple[InitiativeMember, User]]:
        result = await self._session.execute(
            select(InitiativeMember, User)
            .join(User, User.id == InitiativeMember.user_id)
            .where(InitiativeMember.initiative_id == initiative_id)
            .order_by(InitiativeMember.joined_at, InitiativeMember.user_id)
        )
        return [(member, user) for member, user in result.all()]

    async def member_ids(self, initiative_ids: Sequence[int]) -> dict[int, list[int]]:
        result = await self._session.execute(
            select(InitiativeMember.initiative_id, InitiativeMember.user_id)
            .where(InitiativeMember.initiative_id.in_(initiative_ids))
            .order_by(InitiativeMember.user_id)
        )
        found: dict[int, list[int]] = {}
        for initiative_id, user_id in result.all():
            found.setdefault(initiative_id, []).append(user_id)
        return found

    async def owner_count(self, initiative_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count()).where(
                    InitiativeMember.initiative_id == initiative_id,
                    InitiativeMember.role == MemberRole.OWNER,
                )
            )
            or 0
        )

    async def remove_member(self, initiative_id: int, user_id: int) -> bool:
        result = await self._session.execute(
            delete(InitiativeMember).where(
                InitiativeMember.initiative_id == initiative_id,
                InitiativeMember.user_id == user_id,
            )
        )
        return rows_touched(result) > 0

    # Invitations

    async def add_invite(self, invite: InitiativeInvite) -> None:
        self._session.add(invite)
        await self._session.flush()

    async def invite(self, token: str) -> InitiativeInvite | None:
        result = await self._session.execute(
            select(InitiativeInvite).where(InitiativeInvite.token == token)
        )
        return result.scalars().first()

    async def claim_invite(self, token: str, user_id: int, now: datetime) -> bool:
        """Use an invitation: only one person, once, before it expires (atomic)."""
        result = await self._session.execute(
            update(InitiativeInvite)
            .where(
                InitiativeInvite.token == token,
                InitiativeInvite.used_at.is_(None),
                InitiativeInvite.expires_at > now,
            )
            .values(used_by=user_id, used_at=now)
        )
        return rows_touched(result) > 0

    # Join requests

    async def add_join_request(self, initiative_id: int, user_id: int, now: datetime) -> bool:
        return await insert_or_ignore(
            self._session,
            InitiativeJoinRequest,
            {"initiative_id": initiative_id, "user_id": user_id, "created_at": now},
        )

    async def join_request(
        self, request_id: int | None = None, *, initiative_id: int = 0, user_id: int = 0
    ) -> InitiativeJoinRequest | None:
        statement = select(InitiativeJoinRequest)
        if request_id is not None:
            statement = statement.where(InitiativeJoinRequest.id == request_id)
        else:
            statement = statement.where(
                InitiativeJoinRequest.initiative_id == initiative_id,
                InitiativeJoinRequest.user_id == user_id,
            )
        result = await self._session.execute(statement)
        return result.scalars().first()

    async def decide_join_request(
        self, request_id: int, *, accepted: bool, decided_by: int, now: datetime
    ) -> bool:
        """Record the first decision on a request; False when someone decided already."""
        result = await self._session.execute(
            update(InitiativeJoinRequest)
            .where(
                InitiativeJoinRequest.id == request_id, InitiativeJoinRequest.decided_at.is_(None)
            )
            .values(accepted=accepted, decided_by=decided_by, decided_at=now)
        )
        return rows_touched(result) > 0
