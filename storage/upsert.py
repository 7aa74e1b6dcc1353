"""Small statement helpers: dialect-aware "insert unless it exists" and "insert a new object"
(the one place that knows SQLite from PostgreSQL) and the number of rows a statement touched.

Each statement is built once per table and database, and the row goes in as the parameters of
the execution: a row written into the statement itself (`.values(row)`) made a new statement,
with a bound parameter for every column, on every call (a tenth of the work of a new person's
first update).

The statements are built on the model's table, not on the model: the ORM's path for an INSERT
of a model costs more than the INSERT itself (a quarter of the database work of a sign-up, for
its reminders; a seventh of storing a new person). A row that comes back becomes the model's
object in the session, as if it had been read. The rows are keyed by column, which for every
model is also the attribute's name (`_table_of` checks it).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    CursorResult,
    Engine,
    Integer,
    Result,
    Table,
    bindparam,
    select,
    text,
    union_all,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from storage.plain_statements import PlainStatement

_Model = TypeVar("_Model", bound=DeclarativeBase)


async def insert_or_ignore(
    session: AsyncSession, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """Insert a row unless one with the same unique key exists; True when a row was inserted."""
    # Counted by the key it returns: the row count of an INSERT with its values as parameters
    # is not known on every database.
    statement = _ignoring_returning_key(_insert_of(session), model)
    return bool(await statement.rows(session, values))


async def insert_or_get_nothing(
    session: AsyncSession, model: type[_Model], values: dict[str, Any]
) -> _Model | None:
    """Insert a row unless one with the same unique key exists, in one statement; the new row
    as it was stored (defaults filled in), or None when it existed already."""
    statement = _ignoring_returning_row(_insert_of(session), model)
    rows = await statement.rows(session, values)
    return _as_read(session, model, statement.mapping(rows[0])) if rows else None


async def insert_new(session: AsyncSession, instance: _Model) -> _Model:
    """Store a new object with one INSERT that returns its row, and keep it in the session as if
    it had been read: the ORM's unit of work (a flush) costs a few times the INSERT itself.

    Only for an object of columns alone (no related object set on it), and not for a model whose
    changes are watched at a flush (initiatives for the search, people for the known users):
    this INSERT passes the flush by."""
    model = type(instance)
    given = _given(instance, _table_of(model))
    statement = _returning_row(_insert_of(session), model)
    (row,) = await statement.rows(session, given)
    return _kept_as_read(session, instance, statement.mapping(row))


def _given(instance: DeclarativeBase, table: Table) -> dict[str, Any]:
    """The columns set on a new object, by name."""
    given = {key: value for key, value in vars(instance).items() if key != "_sa_instance_state"}
    unknown = given.keys() - table.columns.keys()
    if unknown:
        raise TypeError(f"{type(instance).__name__}: not columns: {sorted(unknown)}")
    return given


async def insert_new_with_rows(
    session: AsyncSession,
    instance: _Model,
    model: type[DeclarativeBase],
    rows_for: Callable[[_Model], list[dict[str, Any]]],
) -> _Model:
    """Store a new object (as `insert_new`) and rows of `model` that name it, leaving out rows
    whose unique key exists already (as `insert_many_or_ignore`); `rows_for` gets the object
    once its id is known. The object, kept as read.

    On PostgreSQL this is one statement (the object's id is taken from its sequence
    beforehand, see `_new_id`): a seat and its reminders were two round trips, a tenth of a
    sign-up. Elsewhere it is two statements, as before."""
    if _dialect(session) != "postgresql":
        stored = await insert_new(session, instance)
        await insert_many_or_ignore(session, model, rows_for(stored))
        return stored
    table = _table_of(type(instance))
    key = _serial_key(table)
    if getattr(instance, key) is None:
        set_committed_value(instance, key, await _new_id(session, table, key))
    rows = rows_for(instance)
    if not rows:
        return await insert_new(session, instance)
    given = _given(instance, table)
    columns = _columns_of(rows)
    if columns is None:
        raise TypeError(f"{model.__name__}: rows of different columns")
    statement = _inserting_with_rows(type(instance), tuple(given), model, columns, len(rows))
    parameters = {f"new_{column}": value for column, value in given.items()}
    parameters.update(_numbered_values(rows))
    (found,) = await statement.rows(session, parameters)
    return _kept_as_read(session, instance, statement.mapping(found))


async def insert_or_refresh(
    session: AsyncSession, statement_for: Callable[[Any], PlainStatement], model: type[_Model],
    values: dict[str, Any],
) -> _Model | None:  # fmt: skip
    """Run the upsert that `statement_for` builds (once per database) from the dialect's INSERT
    with `values` as parameters; the row it stored or refreshed, as if read, or None when it
    left an existing row as it was."""
    statement = statement_for(_insert_of(session))
    rows = await statement.rows(session, values)
    return _as_read(session, model, statement.mapping(rows[0])) if rows else None


def _as_read(session: AsyncSession, model: type[_Model], row: Mapping[Any, Any]) -> _Model:
    """The row as the model's object in the session: the object the session holds already for
    that key, brought up to date, or a new one."""
    key = sa_inspect(model).identity_key_from_primary_key(
        tuple(row[column.key] for column in _table_of(model).primary_key.columns)
    )
    held = session.sync_session.identity_map.get(key)
    if not isinstance(held, model):
        return _kept_as_read(session, model(), row)
    for name, value in row.items():
        set_committed_value(held, name, value)
    return held


def _kept_as_read(session: AsyncSession, instance: _Model, row: Mapping[Any, Any]) -> _Model:
    """The object holding the row it was stored as, in the session as if it had been read:
    nothing of it is left to write."""
    for key, value in row.items():
        set_committed_value(instance, key, value)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


async def insert_many_or_ignore(
    session: AsyncSession, model: type[DeclarativeBase], rows: list[dict[str, Any]]
) -> int:
    """Insert the rows in one statement, leaving out those whose unique key exists already;
    how many were inserted.

    The rows go as parameters of one cached statement, which SQLAlchemy sends as one multi-row
    INSERT (its "insertmanyvalues"): rows written into the statement itself (`.values(rows)`)
    would make a new statement to compile on every call. What was inserted is counted by the
    keys it returns, the same on every database.

    A few rows of the same columns (a seat's reminders) go as one plain statement instead,
    compiled once for each number of rows up to `_FEW_ROWS` (`storage.plain_statements`)."""
    if not rows:
        return 0
    columns = _columns_of(rows)
    if columns is not None and len(rows) <= _FEW_ROWS:
        few = _ignoring_rows_returning_key(_insert_of(session), model, columns, len(rows))
        return len(await few.rows(session, _numbered_values(rows)))
    statement = _ignoring_returning_key(_insert_of(session), model).statement
    result = await session.execute(statement, rows)
    return len(result.all())


# The most rows stored as one plain statement of their own (one compiled form per number).
_FEW_ROWS = 8


def _columns_of(rows: list[dict[str, Any]]) -> tuple[str, ...] | None:
    """The columns every one of `rows` gives, in their order; None when the rows differ."""
    columns = tuple(rows[0])
    return columns if all(tuple(row) == columns for row in rows) else None


def _row_key(number: int, column: str) -> str:
    """The parameter of `column` in row `number` of a statement that stores several rows."""
    return f"row{number}_{column}"


def _numbered_values(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The values of `rows` as the parameters of one statement (`_row_key`)."""
    return {
        _row_key(number, column): value
        for number, row in enumerate(rows)
        for column, value in row.items()
    }


@cache
def _ignoring_rows_returning_key(
    insert: Callable[..., Any],
    model: type[DeclarativeBase],
    columns: tuple[str, ...],
    count: int,
) -> PlainStatement:
    """`count` rows of `columns` as parameters (`row<n>_<column>`), those whose unique key
    exists left out; the keys of those stored come back."""
    table = _table_of(model)
    rows = [
        {
            column: bindparam(_row_key(number, column), type_=table.c[column].type)
            for column in columns
        }
        for number in range(count)
    ]
    return PlainStatement(
        insert(table).values(rows).on_conflict_do_nothing().returning(*table.primary_key.columns)
    )


@cache
def _returning_row(insert: Callable[..., Any], model: type[DeclarativeBase]) -> PlainStatement:
    table = _table_of(model)
    return PlainStatement(insert(table).returning(*table.columns), columns_from_values=True)


@cache
def _ignoring_returning_row(
    insert: Callable[..., Any], model: type[DeclarativeBase]
) -> PlainStatement:
    table = _table_of(model)
    return PlainStatement(
        insert(table).on_conflict_do_nothing().returning(*table.columns), columns_from_values=True
    )


@cache
def _ignoring_returning_key(
    insert: Callable[..., Any], model: type[DeclarativeBase]
) -> PlainStatement:
    table = _table_of(model)
    return PlainStatement(
        insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns),
        columns_from_values=True,
    )


@cache
def _inserting_with_rows(
    model: type[DeclarativeBase],
    given: tuple[str, ...],
    other: type[DeclarativeBase],
    columns: tuple[str, ...],
    count: int,
) -> PlainStatement:
    """PostgreSQL: one statement that stores a new row of `model` (its `given` columns) and
    `count` rows of `other` (their `columns`, those whose unique key exists left out), and
    returns the new row. A part of a WITH that writes always runs to its end, whether the rest
    reads it or not."""
    table, other_table = _table_of(model), _table_of(other)
    new_row = (
        postgresql.insert(table)
        .values({key: bindparam(f"new_{key}", type_=table.c[key].type) for key in given})
        .returning(*table.columns)
        .cte(f"new_{table.name}")
    )
    # The rows as a SELECT of parameters each: a multi-row VALUES would be compiled anew on
    # every call (SQLAlchemy keeps no such statement in its cache).
    rows = [
        select(
            *(bindparam(_row_key(number, key), type_=other_table.c[key].type) for key in columns)
        )
        for number in range(count)
    ]
    new_rows = (
        postgresql.insert(other_table)
        .from_select(list(columns), rows[0] if count == 1 else union_all(*rows))
        .on_conflict_do_nothing()
        .cte(f"new_{other_table.name}")
    )
    return PlainStatement(select(*new_row.c).add_cte(new_rows))


# Ids handed out ahead, per database and table (PostgreSQL): taken from the table's sequence
# a block at a time, so that knowing a new row's id before it is stored costs no round trip.
_ID_BLOCK = 20
_IDS: weakref.WeakKeyDictionary[Engine, dict[str, list[int]]] = weakref.WeakKeyDictionary()
_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, :column)) FROM generate_series(1, :count)"
)


def _serial_key(table: Table) -> str:
    """The name of the table's one primary-key column, numbered by a sequence."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or keys[0].autoincrement is False or not isinstance(keys[0].type, Integer):
        raise TypeError(f"{table.name}: not one numbered key")
    return keys[0].key


async def _new_id(session: AsyncSession, table: Table, key: str) -> int:
    """An id for a new row of `table` from its sequence, as its default would take one (a
    block is taken at a time; a sequence never hands out a number twice, whatever happens to
    the transaction that took it)."""
    assert session.bind is not None
    ids = _IDS.setdefault(session.bind.sync_engine, {}).setdefault(table.name, [])
    if not ids:
        taken = await session.execute(
            _NEXT_IDS, {"table": table.name, "column": key, "count": _ID_BLOCK}
        )
        ids.extend(reversed(taken.scalars().all()))
    return ids.pop()


def _table_of(model: type[DeclarativeBase]) -> Table:
    """The model's table, whose columns are named as the model's attributes."""
    mapper = sa_inspect(model)
    renamed = [
        attribute.key
        for attribute in mapper.column_attrs
        if attribute.key != attribute.columns[0].key
    ]
    if renamed:
        raise TypeError(f"{model.__name__}: columns named unlike their attributes: {renamed}")
    table = mapper.local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to one table")
    return table


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def _insert_of(session: AsyncSession) -> Any:
    """The INSERT that knows ON CONFLICT for the session's database."""
    return postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert


def rows_touched(result: Result[Any]) -> int:
    """How many rows an UPDATE, DELETE or INSERT changed (0 when the driver cannot say)."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
