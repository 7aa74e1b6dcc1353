"""The SQL to export, erase and tombstone a person, and to apply retention. Never commits.

Which columns hold a person is found by walking the metadata (`storage.models.privacy`), so
tables added later are covered without changes here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    String,
    Table,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper

from storage.base import Base
from storage.models import (
    Event,
    InitiativeMember,
    MemberRole,
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    Tombstone,
    User,
)
from storage.models.privacy import RETENTION_COLUMNS, OnErase, PersonColumn
from storage.upsert import rows_touched

ERASED = "[erased]"


@dataclass(frozen=True, slots=True)
class Needles:
    """What identifies one person in free text and JSON: the id, the username, the names."""

    user_id: int
    username: str | None
    names: tuple[str, ...]


def name_forms(first: str | None, last: str | None) -> tuple[str, ...]:
    """The ways a person's name may be written: first, last, and both (two letters or more)."""
    first, last = first or "", last or ""
    names = (first, last, f"{first} {last}".strip())
    return tuple(dict.fromkeys(n.strip() for n in names if len(n.strip()) >= 2))


def plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _json_forms(needle: str) -> list[str]:
    """The needle as it may appear in stored JSON: raw, and with non-ASCII escaped."""
    escaped = json.dumps(needle)[1:-1]
    return [needle] if escaped == needle else [needle, escaped]


class PrivacyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def flush_deleted_bytes(self) -> bool:
        """SQLite: copy the write-ahead log into the database file and empty it, so old copies
        of erased rows don't stay in the `-wal` file (deleted content itself is overwritten:
        secure_delete). Waits at most two seconds for readers; False when they held it up (the
        daily privacy job tries again). PostgreSQL: nothing to do here (see the README).
        Call it outside a transaction."""
        bind = self._session.bind
        if bind is None or bind.dialect.name != "sqlite":
            return True
        connection = await self._session.connection()
        await connection.exec_driver_sql("PRAGMA busy_timeout=2000")
        try:
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.scalar()
        finally:
            await connection.exec_driver_sql("PRAGMA busy_timeout=30000")
        await self._session.commit()
        return busy == 0

    async def rows_of(self, column: Column[Any], user_id: int) -> list[dict[str, Any]]:
        table = column.table
        assert isinstance(table, Table)
        result = await self._session.execute(select(table).where(column == user_id))
        return [dict(row._mapping) for row in result]

    async def rows_where(self, column: Column[Any], values: Sequence[Any]) -> list[dict[str, Any]]:
        table = column.table
        assert isinstance(table, Table)
        if not values:
            return []
        result = await self._session.execute(select(table).where(column.in_(list(values))))
        return [dict(row._mapping) for row in result]

    async def rows_mentioning(self, column: Column[Any], needles: Needles) -> list[dict[str, Any]]:
        """Rows whose text or JSON in `column` may contain one of the needles (a coarse LIKE;
        the caller checks precisely)."""
        table = column.table
        assert isinstance(table, Table)
        text = func.lower(cast(column, String))
        patterns = [str(needles.user_id)]
        if needles.username:
            patterns.append(needles.username.lower())
        if isinstance(column.type, JSON):
            for name in needles.names:
                patterns.extend(f'"{form.lower()}"' for form in _json_forms(name))
        conditions = [text.like(f"%{_escape_like(p)}%", escape="\\") for p in patterns]
        result = await self._session.execute(select(table).where(or_(*conditions)))
        return [dict(row._mapping) for row in result]

    async def set_value(self, column: Column[Any], row: dict[str, Any], value: Any) -> None:
        """Change one value; through the ORM where the table is mapped, so session hooks (the
        search index) see the change."""
        table = column.table
        assert isinstance(table, Table)
        mapper = _mappers().get(table.name)
        if mapper is not None:
            key = tuple(row[c.name] for c in mapper.primary_key)
            found = await self._session.get(mapper.class_, key if len(key) > 1 else key[0])
            if found is not None:
                setattr(found, mapper.get_property_by_column(column).key, value)
                await self._session.flush()
                return
        keys = [key == row[key.name] for key in table.primary_key.columns]
        await self._session.execute(update(table).where(*keys).values({column.name: value}))

    async def erase_column(self, person: PersonColumn, user_id: int) -> int:
        """Apply the column's rule to the rows that point at `user_id`; how many rows."""
        table, column = person.table, person.column
        if person.on_erase is OnErase.DELETE:
            statement: Any = delete(table).where(column == user_id)
        else:
            value = None if person.on_erase is OnErase.NULL else 0
            # Columns that only mean something with the person go with the link.
            cleared = {name: None for name in column.info.get("erase_with", ())}
            statement = (
                update(table).where(column == user_id).values({column.name: value, **cleared})
            )
        result = await self._session.execute(statement)
        return rows_touched(result)

    async def open_seat_events(self, user_id: int) -> list[int]:
        """Events where the person holds a seat or a waitlist place."""
        result = await self._session.execute(
            select(Registration.event_id).where(
                Registration.user_id == user_id,
                Registration.status.in_(
                    [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
                ),
            )
        )
        return [int(event_id) for event_id in result.scalars()]

    # Initiatives: who else is on them.

    async def memberships(self, user_id: int) -> list[tuple[int, str, int, int]]:
        """(initiative id, the user's role, other members, other owners) per initiative."""
        other = InitiativeMember.__table__.alias("other")
        result = await self._session.execute(
            select(
                InitiativeMember.initiative_id,
                InitiativeMember.role,
                func.count(other.c.user_id),
                func.count(other.c.user_id).filter(other.c.role == MemberRole.OWNER),
            )
            .outerjoin(
                other,
                (other.c.initiative_id == InitiativeMember.initiative_id)
                & (other.c.user_id != user_id),
            )
            .where(InitiativeMember.user_id == user_id)
            .group_by(InitiativeMember.initiative_id, InitiativeMember.role)
        )
        return [(int(i), str(role), int(n), int(o)) for i, role, n, o in result.all()]

    async def promote_longest_member(self, initiative_id: int, user_id: int) -> None:
        """The member who joined first (other than `user_id`) becomes an owner."""
        oldest = await self._session.scalar(
            select(InitiativeMember.user_id)
            .where(
                InitiativeMember.initiative_id == initiative_id,
                InitiativeMember.user_id != user_id,
            )
            .order_by(InitiativeMember.joined_at, InitiativeMember.user_id)
            .limit(1)
        )
        if oldest is not None:
            await self._session.execute(
                update(InitiativeMember)
                .where(
                    InitiativeMember.initiative_id == initiative_id,
                    InitiativeMember.user_id == oldest,
                )
                .values(role=MemberRole.OWNER)
            )

    # The person and their tombstone.

    async def delete_user(self, user_id: int) -> bool:
        result = await self._session.execute(delete(User).where(User.id == user_id))
        return rows_touched(result) > 0

    async def add_tombstone(self, id_hash: str, now: datetime) -> None:
        existing = await self._session.get(Tombstone, id_hash)
        if existing is None:
            self._session.add(Tombstone(id_hash=id_hash, erased_at=now))
        else:
            existing.erased_at = now
        await self._session.flush()

    async def tombstones(self) -> dict[str, datetime]:
        result = await self._session.execute(select(Tombstone.id_hash, Tombstone.erased_at))
        return {id_hash: erased_at for id_hash, erased_at in result.all()}

    async def people(self, ids: Sequence[int]) -> list[Needles]:
        """What identifies each of these ids that is a person the bot knows: id, username,
        names (first, last, both)."""
        found: list[Needles] = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            result = await self._session.execute(
                select(User.id, User.first_name, User.last_name, User.username).where(
                    User.id.in_(wanted[start : start + 500])
                )
            )
            for user_id, first, last, username in result.all():
                found.append(Needles(int(user_id), username or None, name_forms(first, last)))
        return found

    async def users_created(self) -> list[tuple[int, datetime]]:
        result = await self._session.execute(select(User.id, User.created_at))
        return [(int(user_id), created_at) for user_id, created_at in result.all()]

    # Retention.

    async def anonymise_events_before(self, cutoff: datetime) -> dict[str, int]:
        """Rows of events that ended before `cutoff` lose their person; counts per table."""
        ended = select(Event.id).where(Event.ends_at < cutoff).scalar_subquery()
        counts: dict[str, int] = {}
        for table_name, event_column, columns in RETENTION_COLUMNS:
            table = Base.metadata.tables.get(table_name)
            if table is None or not columns:
                continue
            still_linked = or_(*(table.c[name].is_not(None) for name in columns))
            result = await self._session.execute(
                update(table)
                .where(table.c[event_column].in_(ended), still_linked)
                .values({name: None for name in columns})
            )
            counts[table_name] = rows_touched(result)
        return counts

    async def delete_settled_messages_before(self, cutoff: datetime) -> int:
        """Outbox rows that were sent, failed, skipped or cancelled before `cutoff`."""
        settled = [
            OutboxStatus.SENT,
            OutboxStatus.FAILED,
            OutboxStatus.CANCELLED,
            OutboxStatus.SKIPPED,
        ]
        result = await self._session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(settled), OutboxMessage.updated_at < cutoff
            )
        )
        return rows_touched(result)


def _mappers() -> dict[str, Mapper[Any]]:
    return {
        mapper.local_table.name: mapper
        for mapper in Base.registry.mappers
        if isinstance(mapper.local_table, Table)
    }


def _escape_like(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)
