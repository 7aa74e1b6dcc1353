"""Reading and writing users. Never commits: the calling use-case does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role, User
from storage.upsert import insert_or_get_nothing


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def ensure(
        self,
        user_id: int,
        *,
        first_name: str,
        last_name: str | None,
        username: str | None,
        telegram_language: str | None,
        now: datetime,
    ) -> tuple[User, bool]:
        """The user row and whether it was created now; safe when two updates of a new user race
        (a new row is one statement; the loser of a race reads the winner's row)."""
        created = await insert_or_get_nothing(
            self._session,
            User,
            {
                "id": user_id,
                "first_name": first_name,
                "last_name": last_name,
                "username": username,
                "telegram_language": telegram_language,
                "role": Role.RESIDENT,
                "is_reachable": True,
                "created_at": now,
                "last_seen_at": now,
            },
        )
        if created is not None:
            return created, True
        user = await self._session.get(User, user_id, populate_existing=True)
        assert user is not None
        return user, False

    async def by_ids(self, user_ids: Sequence[int]) -> dict[int, User]:
        """The people of these ids who still exist."""
        if not user_ids:
            return {}
        result = await self._session.execute(select(User).where(User.id.in_(set(user_ids))))
        return {user.id: user for user in result.scalars()}

    async def by_username(self, username: str) -> User | None:
        result = await self._session.execute(
            select(User).where(func.lower(User.username) == username.lower().lstrip("@"))
        )
        return result.scalars().first()

    async def with_role(self, role: Role) -> Sequence[User]:
        result = await self._session.execute(select(User).where(User.role == role.value))
        return result.scalars().all()

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(User)) or 0)

    async def set_reachable(self, user_id: int, reachable: bool, now: datetime) -> bool:
        """Mark a user (un)reachable; True when something changed. A change to the row itself
        (not an UPDATE statement, which may touch anyone): only this person is forgotten by the
        processes' copies of people, and nobody when nothing changed."""
        user = await self._session.get(User, user_id)
        if user is None or user.is_reachable == reachable:
            return False
        user.is_reachable = reachable
        user.unreachable_since = None if reachable else now
        await self._session.flush()
        return True
