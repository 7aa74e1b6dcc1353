"""Small statement helpers: dialect-aware "insert unless it exists" (the one place that knows
SQLite from PostgreSQL) and the number of rows a statement touched.

Each statement is built once per table and database, and the row goes in as the parameters of
the execution: a row written into the statement itself (`.values(row)`) made a new statement,
with a bound parameter for every column, on every call (a tenth of the work of a new person's
first update).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
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
    # Counted by the key it returns: the row count of an INSERT with its values as parameters
    # is not known on every database.
    statement = _ignoring_returning_key(_insert_of(session), model)
    return (await session.execute(statement, values)).first() is not None


async def insert_or_get_nothing(
    session: AsyncSession, model: type[_Model], values: dict[str, Any]
) -> _Model | None:
    """Insert a row unless one with the same unique key exists, in one statement; the new row
    as it was stored (defaults filled in), or None when it existed already."""
    statement = _ignoring_returning_row(_insert_of(session), model)
    return (await session.scalars(statement, values)).first()


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
    result = await session.execute(_ignoring_returning_key(_insert_of(session), model), rows)
    return len(result.all())


@cache
def _ignoring(insert: Callable[..., Any], model: type[DeclarativeBase]) -> Any:
    return insert(model).on_conflict_do_nothing()


@cache
def _ignoring_returning_row(insert: Callable[..., Any], model: type[DeclarativeBase]) -> Any:
    return _ignoring(insert, model).returning(model)


@cache
def _ignoring_returning_key(insert: Callable[..., Any], model: type[DeclarativeBase]) -> Any:
    return _ignoring(insert, model).returning(sa_inspect(model).primary_key[0])


def _insert_of(session: AsyncSession) -> Any:
    """The INSERT that knows ON CONFLICT for the session's database."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def rows_touched(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT changed (0 when the driver cannot say)."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
