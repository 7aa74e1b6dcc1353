"""Small statement helpers: dialect-aware "insert unless it exists" (the one place that knows
SQLite from PostgreSQL) and the number of rows a statement touched."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import CursorResult, Result
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

_Model = TypeVar("_Model", bound=DeclarativeBase)


async def insert_or_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """Insert a row unless one with the same unique key exists; True when a row was inserted."""
    insert = _insert_of(session)
    statement = insert(model).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return rows_touched(result) > 0


async def insert_or_get_nothing(
    session: AsyncSession, model: type[_Model], values: dict[str, Any]
) -> _Model | None:
    """Insert a row unless one with the same unique key exists, in one statement; the new row
    as it was stored (defaults filled in), or None when it existed already."""
    insert = _insert_of(session)
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(model)
    return (await session.scalars(statement)).first()


async def insert_many_or_ignore(
    session: AsyncSession, model: type[DeclarativeBase], rows: list[dict[str, Any]]
) -> int:
    """Insert the rows in one statement, leaving out those whose unique key exists already;
    how many were inserted.

    The rows go as parameters of one cached statement, which SQLAlchemy sends as one multi-row
    INSERT (its "insertmanyvalues"): rows written into the statement itself (`.values(rows)`)
    would make a new statement to compile on every call. What was inserted is counted by the
    keys it returns, the same on every database."""
    if not rows:
        return 0
    insert = _insert_of(session)
    primary_key = sa_inspect(model).primary_key[0]
    statement = insert(model).on_conflict_do_nothing().returning(primary_key)
    result = await session.execute(statement, rows)
    return len(result.all())


def _insert_of(session: AsyncSession) -> Any:
    """The INSERT that knows ON CONFLICT for the session's database."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def rows_touched(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT changed (0 when the driver cannot say)."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
