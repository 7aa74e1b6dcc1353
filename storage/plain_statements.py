"""Statements sent by the project's drivers without SQLAlchemy's execution machinery, for what
the bot does most: the card of an event, a sign-up's reads, a new row stored with RETURNING.

Through the session, one statement passes the ORM's loading (built again at every execution),
an execution context, a result object and, on asyncio, a greenlet: for the card's one row by
primary key that was several times the database's own work. A `PlainStatement` (a SELECT, or a
write that returns rows) is compiled once for each database (and, for an INSERT, each set of
columns it is given), sent on the session's own connection by the project's drivers
(`storage.sqlite_driver`, `storage.postgres_driver`: in the session's transaction when one is
open, without one in a read block), and its values are converted by the same type processors
SQLAlchemy uses, so they are what the session would have given. An INSERT that leaves a column
with a Python default to SQLAlchemy, or a driver without plain statements, goes through the
session as before.

A `PlainSelect` turns the rows into detached model objects: snapshots to read. A change to one
is not written, and a column left out of the statement raises when read instead of being
loaded. Listeners of `before_cursor_execute` and `after_cursor_execute` see each statement as
they see any other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Executable, Select, inspect
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.sql.expression import ReturnsRows

Processor = Callable[[Any], Any] | None


class _PlainDriver(Protocol):
    async def fetch_rows(
        self, operation: str, parameters: Sequence[Any]
    ) -> tuple[Any, list[Any]]: ...


@dataclass(frozen=True)
class _Part:
    """What one part of a row becomes: a model object of `mapper` from `keys` (None when its
    primary key is NULL, as an outer join that found nothing), or the one value."""

    start: int
    mapper: Mapper[Any] | None
    keys: tuple[str, ...]
    primary_key: tuple[int, ...]


class _Compiled:
    """The statement for one database: its text, its parameters in order (those written in it
    already converted), and the converters of its columns, known from the first result. A
    statement for which SQLAlchemy would work out values at execution (an INSERT that leaves
    a column with a Python default to it) has no text: it runs through the session."""

    def __init__(
        self, statement: ReturnsRows, dialect: Dialect, columns: Sequence[str] | None
    ) -> None:
        compiled: Any = statement.compile(
            dialect=dialect, column_keys=list(columns) if columns is not None else None
        )
        self.sql: str | None = compiled.string
        if compiled.positiontup is None or compiled.insert_prefetch or compiled.update_prefetch:
            self.sql = None
        self.types = [column.type for column in statement.exported_columns]
        self.dialect = dialect
        self.slots: list[tuple[str | None, Any, Processor]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            if bind.expanding:
                raise ValueError("a plain statement takes no expanding parameter")
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self.slots.append((bind.key, None, process))
            else:  # a value written in the statement
                value = bind.effective_value
                self.slots.append((None, process(value) if process else value, None))
        self.results: list[Processor] | None = None

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            (process(values[key]) if process else values[key]) if key is not None else constant
            for key, constant, process in self.slots
        )

    def converters(self, description: Sequence[Sequence[Any]]) -> list[Processor]:
        if self.results is None:
            self.results = [
                type_.dialect_impl(self.dialect).result_processor(self.dialect, column[1])
                for type_, column in zip(self.types, description, strict=True)
            ]
        return self.results


class PlainStatement:
    """A statement that returns rows (a SELECT, or a write with RETURNING), its rows as tuples
    of converted values. Made once, where the statement is built: it keeps the statement's
    compiled forms, per database, and with `columns_from_values` (an INSERT whose columns are
    those its values give) per set of columns."""

    def __init__(self, statement: ReturnsRows, *, columns_from_values: bool = False) -> None:
        if not isinstance(statement, Executable):
            raise TypeError("a plain statement is one that runs")
        self.statement = statement
        self.keys: tuple[str, ...] = tuple(column.key for column in statement.exported_columns)
        self._columns_from_values = columns_from_values
        self._compiled: dict[tuple[str, tuple[str, ...] | None], _Compiled] = {}

    async def rows(self, session: AsyncSession, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        sync = _held_connection(session) or await _asked_connection(session)
        driver = _plain_driver(sync)
        columns = tuple(sorted(values)) if self._columns_from_values else None
        compiled = self._for(sync.dialect, columns) if driver is not None else None
        if driver is None or compiled is None or compiled.sql is None:
            result = await session.execute(self.statement, dict(values))
            return [tuple(row) for row in result]
        parameters = compiled.parameters(values)
        description, rows = await _fetch(session, sync, driver, compiled.sql, parameters)
        converters = compiled.converters(description)
        return [
            tuple(
                convert(value) if convert else value
                for convert, value in zip(converters, row, strict=True)
            )
            for row in rows
        ]

    def mapping(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row by the names of its columns."""
        return dict(zip(self.keys, row, strict=True))

    def _for(self, dialect: Dialect, columns: tuple[str, ...] | None) -> _Compiled:
        key = (dialect.name, columns)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _Compiled(self.statement, dialect, columns)
        return found


class PlainSelect:
    """A SELECT of `parts` (model classes, whose mapped columns are read, and single column
    expressions) put together by `build(*columns)`; each row comes back as a tuple with one
    detached object or value per part."""

    def __init__(self, *parts: Any, build: Callable[..., Select[Any]]) -> None:
        columns: list[Any] = []
        self._parts: list[_Part] = []
        for part in parts:
            if isinstance(part, type):
                mapper: Mapper[Any] = inspect(part)
                attributes = list(mapper.column_attrs)
                keys = tuple(attribute.key for attribute in attributes)
                primary = {column.key for column in mapper.primary_key}
                self._parts.append(
                    _Part(
                        len(columns), mapper, keys,
                        tuple(i for i, a in enumerate(attributes) if a.columns[0].key in primary),
                    )
                )  # fmt: skip
                columns.extend(attribute.columns[0] for attribute in attributes)
            else:
                self._parts.append(_Part(len(columns), None, (), ()))
                columns.append(part)
        self.statement = build(*columns)
        self._plain = PlainStatement(self.statement)

    async def first(
        self, session: AsyncSession, values: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        rows = await self.rows(session, values)
        return rows[0] if rows else None

    async def rows(self, session: AsyncSession, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return [self._shaped(row) for row in await self._plain.rows(session, values)]

    def _shaped(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        shaped: list[Any] = []
        for part in self._parts:
            if part.mapper is None:
                shaped.append(values[part.start])
                continue
            own = values[part.start : part.start + len(part.keys)]
            if all(own[i] is None for i in part.primary_key):
                shaped.append(None)
                continue
            instance = part.mapper.class_manager.new_instance()
            instance.__dict__.update(zip(part.keys, own, strict=True))
            make_transient_to_detached(instance)
            shaped.append(instance)
        return tuple(shaped)


async def _asked_connection(session: AsyncSession) -> Connection:
    """The session's connection, taken now (a statement outside any block of `Repo`)."""
    connection = (await session.connection()).sync_connection
    assert connection is not None
    return connection


def _plain_driver(connection: Connection) -> _PlainDriver | None:
    """The driver's connection when it sends plain statements (the project's drivers do)."""
    if connection.invalidated:
        return None
    driver = connection.connection.dbapi_connection
    return driver if hasattr(driver, "fetch_rows") else None  # type: ignore[return-value]


def _held_connection(session: AsyncSession) -> Connection | None:
    """The connection the session's transaction holds already (a block of `Repo` takes it as
    it begins), found without a trip through a greenlet; None when it holds none (or several)."""
    transaction = session.sync_session.get_transaction()
    if transaction is None or not transaction.is_active:
        return None
    held = transaction.connections
    return next(iter(held)) if len(held) == 1 else None


async def _fetch(
    session: AsyncSession,
    sync: Connection,
    driver: _PlainDriver,
    sql: str,
    parameters: tuple[Any, ...],
) -> tuple[Any, list[Any]]:
    """The statement sent by the driver, with the connection's statement listeners around it
    and its errors as SQLAlchemy raises them (a lost connection invalidated)."""
    dialect = sync.dialect
    listened = sync._has_events or sync.engine._has_events
    if listened:
        sync.dispatch.before_cursor_execute(sync, None, sql, parameters, None, False)
    try:
        description, rows = await driver.fetch_rows(sql, parameters)
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver, None)  # type: ignore[arg-type]
        if lost:
            await (await session.connection()).invalidate(error)
        raise DBAPIError.instance(
            sql, parameters, error, dialect.loaded_dbapi.Error,
            hide_parameters=sync.engine.hide_parameters, connection_invalidated=lost,
            dialect=dialect,
        ) from error  # fmt: skip
    if listened:
        sync.dispatch.after_cursor_execute(sync, None, sql, parameters, None, False)
    return description, rows
