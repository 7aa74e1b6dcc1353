"""SQLite through aiosqlite with one trip to the database thread per statement.

aiosqlite runs each database connection in a thread of its own, and every call into it (make a
cursor, execute, fetch the rows, close the cursor, begin, commit, roll back) is a round trip: a
queue put, a wake-up of the event loop and a context switch. SQLAlchemy's aiosqlite adapter makes
four of those trips per statement and rolls back twice when a session closes, so a short sign-up
made some thirty trips, and between any two of them other updates ran while the write lock was
held. Here a statement is one trip (the cursor is made, executed, read and closed in the
database's thread, where sqlite3 wants it), a transaction's BEGIN travels with its first
statement, and a commit or rollback with no transaction open is no trip.

`create_engine` uses this dialect for every `sqlite+aiosqlite` URL; it behaves as aiosqlite does.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)

DRIVER = "aiosqlite_onetrip"

_Outcome = tuple[Any, list[Any] | None, int, int | None]


def _run_statement(
    connection: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """In the database's thread: the transaction's BEGIN if it is still to be sent, then the
    whole statement, its rows and what the cursor knows."""
    if begin is not None:
        connection.execute(begin)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement runs in one trip; afterwards it only holds the results."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # made in the database's thread
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # nothing stays open in the database's thread

    def close(self) -> None:
        self._rows.clear()

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        connection = cast("OneTripConnection", self._adapt_connection)
        outcome = await connection.trip(operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows or ())

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> None:
        await self._trip(operation, seq_of_parameters, many=True)

    def nextset(self) -> None:
        return None  # sqlite3 has one result set per statement


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin",)

    _cursor_cls = OneTripCursor  # type: ignore[assignment]

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        """Open a transaction with `begin` ("BEGIN IMMEDIATE") in the trip of the next
        statement: nothing runs in between, and a transaction that runs no statement costs no
        trip at all."""
        self._begin = begin

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    async def trip(self, operation: Any, parameters: Any, many: bool) -> _Outcome:
        """One statement in one trip to the database's thread, with the transaction's BEGIN
        when it is still to be sent."""
        async with self._execute_mutex:
            aio = self._connection
            raw = aio._conn  # raises as aiosqlite does when the connection is closed
            begin = self.take_begin()
            outcome: _Outcome = await aio._execute(
                _run_statement, raw, begin, operation, parameters, many
            )
        return outcome

    async def fetch_rows(self, operation: str, parameters: Sequence[Any]) -> tuple[Any, list[Any]]:
        """A statement's description and rows, sent as a cursor sends it
        (`storage.plain_statements`), its errors those of the cursor."""
        try:
            description, rows, _count, _last = await self.trip(operation, parameters, False)
        except Exception as error:
            self._handle_exception(error)
        return description, rows or []

    def _no_transaction(self) -> bool:
        raw = self._connection._connection
        return raw is None or not raw.in_transaction

    def rollback(self) -> None:
        self._begin = None
        if not self._no_transaction():  # the pool rolls back on every return: mostly nothing
            super().rollback()

    def commit(self) -> None:
        self._begin = None
        if not self._no_transaction():
            super().commit()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


class OneTripSQLiteDialect(SQLiteDialect_aiosqlite):
    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> OneTripDBAPI:
        return OneTripDBAPI(__import__("aiosqlite"), __import__("sqlite3"))


registry.register(f"sqlite.{DRIVER}", __name__, "OneTripSQLiteDialect")
