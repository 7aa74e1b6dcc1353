"""Role bookkeeping: the coordinators, read with their rows locked. Never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role, User


class RoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def coordinators_locked(self) -> Sequence[User]:
        """Every coordinator, locked until the transaction ends (PostgreSQL; SQLite holds the
        write lock already), so a count taken here stays true until the commit."""
        result = await self._session.execute(
            select(User).where(User.role == Role.COORDINATOR).with_for_update()
        )
        return result.scalars().all()
