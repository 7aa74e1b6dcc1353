"""Reading and writing users. Never commits: the calling use-case does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role, User
from storage.plain_statements import PlainStatement
from storage.upsert import insert_or_get_nothing, insert_or_refresh

# What Telegram tells about a person on every update, kept as it was last seen.
_FROM_TELEGRAM = ("first_name", "last_name", "username", "telegram_language")


@cache
def _sight(insert: Any) -> PlainStatement:
    """Someone new stored, or someone known refreshed when what Telegram says of them changed,
    they were last seen before `seen_before`, or they became a coordinator; the row comes back
    when it was written (one statement either way)."""
    users = User.__table__
    statement = insert(users)
    new = statement.excluded
    changed = or_(
        *(users.c[name].is_distinct_from(new[name]) for name in _FROM_TELEGRAM),
        users.c.last_seen_at <= bindparam("seen_before", type_=users.c.last_seen_at.type),
        and_(new.role == Role.COORDINATOR, users.c.role != Role.COORDINATOR),
    )
    refreshed = {name: new[name] for name in (*_FROM_TELEGRAM, "last_seen_at")}
    refreshed["role"] = case((new.role == Role.COORDINATOR, new.role), else_=users.c.role)
    return PlainStatement(
        statement.on_conflict_do_update(
            index_elements=[users.c.id], set_=refreshed, where=changed
        ).returning(*users.columns),
        columns_from_values=True,
    )


def _new_row(
    user_id: int,
    first_name: str,
    last_name: str | None,
    username: str | None,
    telegram_language: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The row of a resident seen for the first time `now`."""
    return {
        "id": user_id,
        "first_name": first_name,
        "last_name": last_name,
        "username": username,
        "telegram_language": telegram_language,
        "role": Role.RESIDENT,
        "is_reachable": True,
        "created_at": now,
        "last_seen_at": now,
    }


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
        row = _new_row(user_id, first_name, last_name, username, telegram_language, now)
        created = await insert_or_get_nothing(self._session, User, row)
        if created is not None:
            return created, True
        return await self._stored(user_id), False

    async def record_sight(
        self,
        user_id: int,
        *,
        first_name: str,
        last_name: str | None,
        username: str | None,
        telegram_language: str | None,
        now: datetime,
        seen_before: datetime,
        coordinator: bool,
    ) -> User:
        """The person's row after they were seen `now`: stored when new; for someone known,
        their details from Telegram, the moment they were last seen (when that was before
        `seen_before`) and the coordinator's role (`coordinator`) written where they changed.
        One statement, and a read only when nothing had to be written. Safe when two updates
        of a new person race: the second finds the first one's row."""
        row = _new_row(user_id, first_name, last_name, username, telegram_language, now)
        if coordinator:
            row["role"] = Role.COORDINATOR
        written = await insert_or_refresh(
            self._session, _sight, User, {**row, "seen_before": seen_before}
        )
        return written if written is not None else await self._stored(user_id)

    async def _stored(self, user_id: int) -> User:
        """The row of someone who exists, as stored now (not a copy the session held)."""
        user = await self._session.get(User, user_id, populate_existing=True)
        assert user is not None
        return user

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
