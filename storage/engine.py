"""Creating the async engine and session pool for SQLite or PostgreSQL from one URL."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool, QueuePool

from storage import postgres_driver, sqlite_driver

logger = logging.getLogger(__name__)

SessionPool = async_sessionmaker[AsyncSession]
SQLITE_BEGIN_OPTION = "sqlite_begin"
# A write about one row that nobody else in the process is writing to at that moment locks the
# row as its transaction begins (`Repo.write`): the option names the row as (table, id). With
# asyncpg the lock travels in the BEGIN's round trip (`storage.postgres_driver`).
LOCK_AT_BEGIN_OPTION = "samenspel_lock_at_begin"
# Statements sent on a connection with this option run without a transaction around them (no
# BEGIN, no COMMIT): each is atomic on its own. A statement that writes or locks is refused there
# (`WriteInReadBlockError`), except the one a `Repo.write_one` block allows.
WITHOUT_TRANSACTION = "samenspel_without_transaction"
# A read block runs its statements without a transaction around them: on PostgreSQL BEGIN and
# COMMIT were two of a card's three round trips, on SQLite the COMMIT was a trip to the
# database's thread of its own. Under PostgreSQL's READ COMMITTED each statement of a
# transaction sees what was committed when it began, so reads see the same either way; on SQLite
# each statement sees what was committed when it began too (the code reads as it does on
# PostgreSQL, never counting on one snapshot for several statements).
_READ_WITHOUT_TRANSACTION: dict[str, dict[str, Any]] = {
    "postgresql": {"isolation_level": "AUTOCOMMIT", WITHOUT_TRANSACTION: True},
    # sqlite3 already runs without a transaction until the dialect sends BEGIN (see
    # `_configure_sqlite`), so no BEGIN is sent.
    "sqlite": {WITHOUT_TRANSACTION: True},
}
# A block whose writing is one statement (`Repo.write_one`): a statement is atomic on its own,
# so on PostgreSQL it too runs without BEGIN and COMMIT. That one write is let through. (On
# SQLite a write takes its turn at the database's write lock first: `Repo.write`.)
_ONE_WRITE_WITHOUT_TRANSACTION: dict[str, dict[str, Any]] = {
    "postgresql": {
        "isolation_level": "AUTOCOMMIT",
        WITHOUT_TRANSACTION: True,
        "samenspel_one_write": True,
    },
}


def read_without_transaction(dialect_name: str | None) -> dict[str, Any] | None:
    """The execution options of a read block without a transaction on this database; None
    where reads keep their transaction."""
    return _READ_WITHOUT_TRANSACTION.get(dialect_name or "")


def one_write_without_transaction(dialect_name: str | None) -> dict[str, Any] | None:
    """The execution options of a block of one write without a transaction on this database;
    None where such a block is an ordinary write."""
    return _ONE_WRITE_WITHOUT_TRANSACTION.get(dialect_name or "")


_WRITES_LEFT = "samenspel_writes_left"
# What such a read may not do: write (also in a part of a WITH), or lock rows (a lock would end
# with its statement).
_WRITES_OR_LOCKS = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b"
    r"|\bAS\s*\(\s*(INSERT|UPDATE|DELETE)\b"
    r"|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b",
    re.IGNORECASE,
)
_LOCKS = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b", re.IGNORECASE)
# Statements come from SQLAlchemy's compiled cache, the same few texts again and again: each is
# looked at once (a regular expression over a long SELECT costs tens of microseconds).
_LOOKED_AT: dict[str, bool] = {}
_LOOKED_AT_MOST = 4096


class WriteInReadBlockError(RuntimeError):
    """A statement that writes or locks was sent in a read block, where nothing would keep it
    together with the rest of the use-case: it belongs in `Repo.write`."""


_WAL_ATTEMPTS = 30
# Connections a process keeps to PostgreSQL, and never more. Its updates, deliveries and jobs
# wait their turn for one in the process (first come, first served) when all are in use: a
# statement takes a millisecond or so, a write to a busy row waits its turn first without one
# (`storage.write_lock`), and no connection is held while Telegram is asked anything. More
# connections would not answer sooner: each is a server process competing for the same cores,
# and the ones opened for a moment of many updates were closed again as soon as it passed
# (opening one costs about 2 ms of the bot's CPU and a new server process), only to be opened
# again for the next. Together, the processes' pools must stay below the server's
# `max_connections` (100 by default), also while a deploy runs old and new processes side by
# side.
POOL_SIZE = 10


def create_engine(url: str | URL, *, echo: bool = False, pool_size: int = POOL_SIZE) -> AsyncEngine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout per connection.
    On PostgreSQL the process keeps at most `pool_size` connections."""
    parsed = make_url(url)
    # hide_parameters: a database error in the log never shows the values (names, texts, ids).
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.get_driver_name() == "aiosqlite":
            url = parsed.set(drivername=f"sqlite+{sqlite_driver.DRIVER}")
        kwargs["connect_args"] = {"timeout": 30}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = NullPool
    else:
        if parsed.get_driver_name() == "asyncpg":
            url = parsed.set(drivername=f"postgresql+{postgres_driver.DRIVER}")
        # No ping before every checkout (three round trips each time): connections are renewed
        # after half an hour instead, and one that the server dropped is noticed on use, which
        # makes SQLAlchemy replace every pooled connection of that moment. A fixed number of
        # connections (see `POOL_SIZE`), none opened beyond it.
        kwargs.update(pool_recycle=1800, pool_size=pool_size, max_overflow=0)
    engine = create_async_engine(url, **kwargs)
    _refuse_writes_in_reads(engine)
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    else:
        _lock_at_begin(engine)
    return engine


@dataclass(frozen=True, slots=True)
class ConnectionCounts:
    """The process's connections to its database at one moment."""

    in_use: int
    idle: int
    kept: int  # how many the pool keeps (on PostgreSQL also the most it opens)


def connection_counts(engine: AsyncEngine) -> ConnectionCounts | None:
    """How many connections are in use and idle now; None for a database without a pool (an
    in-memory SQLite database opens one per use)."""
    pool = engine.sync_engine.pool
    if not isinstance(pool, QueuePool):
        return None
    return ConnectionCounts(pool.checkedout(), pool.checkedin(), pool.size())


async def open_connections(engine: AsyncEngine) -> int:
    """Opens every connection the pool keeps, now, and leaves them idle in the pool; how many
    are open (0 for SQLite, which opens a file, not a connection to a server).

    Called as the process starts, before it says it is ready: otherwise the first updates
    after a start (a deploy, with people already waiting) each open one, about 2 ms of the
    bot's CPU and a new server process each, while they are being answered. Those the server
    refuses now (its `max_connections` reached, say) are left to open when they are needed,
    as before, with a warning: a start never fails for them."""
    pool = engine.sync_engine.pool
    if engine.dialect.name == "sqlite" or not isinstance(pool, QueuePool):
        return 0
    free = pool.size() - pool.checkedout()
    if pool.checkedin() >= free:
        return pool.size()
    # Every free one held at once: the pool hands out those it has before it opens another.
    connections = [engine.connect() for _ in range(free)]
    outcomes = await asyncio.gather(
        *(connection.start() for connection in connections), return_exceptions=True
    )
    held = [
        connection
        for connection, outcome in zip(connections, outcomes, strict=True)
        if not isinstance(outcome, BaseException)
    ]
    try:
        refused = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        for outcome in refused:
            if not isinstance(outcome, Exception):  # cancelled: the start is being stopped
                raise outcome
        if refused and _too_many_connections(refused[0]):
            # Connections started at the same moment can refuse each other: a limit on the
            # role counts every connection being started, also those it then refuses.
            await _open_one_at_a_time(engine, held, free)
    finally:
        for connection in held:
            await connection.close()
    if len(held) < free:
        logger.warning(
            "%d of the %d database connections could not be opened at start (%s); they open "
            "when they are needed",
            free - len(held), pool.size(), _driver_error_name(refused[0]),
        )  # fmt: skip
    return pool.checkedin() + pool.checkedout()


async def _open_one_at_a_time(
    engine: AsyncEngine, held: list[AsyncConnection], wanted: int
) -> None:
    """Opens connections one after another into `held` until it has `wanted` or the server
    refuses one."""
    while len(held) < wanted:
        connection = engine.connect()
        try:
            await connection.start()
        except Exception:
            return
        held.append(connection)


def _too_many_connections(error: BaseException) -> bool:
    """Whether the server refused a connection because it has too many (SQLSTATE 53300: its
    `max_connections`, or the role's connection limit)."""
    for cause in (error, getattr(error, "orig", None), error.__cause__):
        if getattr(cause, "sqlstate", None) == "53300":
            return True
    return False


def _driver_error_name(error: BaseException) -> str:
    """The name of the driver's own error under SQLAlchemy's (no message: it may name the
    server or the user)."""
    cause = getattr(error, "orig", None) or error
    return type(cause.__cause__ or cause).__name__


def _refuse_writes_in_reads(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _check(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        options = connection.get_execution_options()
        if not options.get(WITHOUT_TRANSACTION) or not writes_or_locks(statement):
            return
        if connection.info.get(_WRITES_LEFT) and not _LOCKS.search(statement):
            connection.info[_WRITES_LEFT] -= 1
            return
        raise WriteInReadBlockError(statement.split(None, 1)[0])


def allow_one_write(connection: Any) -> None:
    """The block without a transaction on `connection` may send one statement that writes."""
    connection.info[_WRITES_LEFT] = 1


def end_one_write(connection: Any) -> None:
    connection.info.pop(_WRITES_LEFT, None)


def writes_or_locks(statement: str) -> bool:
    """Whether a statement writes or locks rows (remembered for the texts seen most recently)."""
    found = _LOOKED_AT.get(statement)
    if found is None:
        if len(_LOOKED_AT) >= _LOOKED_AT_MOST:
            _LOOKED_AT.clear()
        found = _LOOKED_AT[statement] = _WRITES_OR_LOCKS.search(statement) is not None
    return found


def _write_ahead_log(cursor: Any) -> None:
    """Switch the database to WAL. Several processes opening a new database at the same moment
    all try to switch it, and SQLite answers "locked" to all but one without waiting for the
    busy timeout; the switch is the database's (it stays), so the others try again shortly."""
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as problem:  # the driver's OperationalError, through the adapter
            if "locked" not in str(problem) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))  # only ever while a new database is set up


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction starts (BEGIN IMMEDIATE below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _write_ahead_log(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # What is deleted is overwritten, so an erased person does not linger in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A read block sends no BEGIN at all (`read_without_transaction`); other reads begin
        # DEFERRED (WAL readers never block); a use-case that writes asks for
        # IMMEDIATE through `Repo.write`, so SQLite queues writers (busy_timeout) instead
        # of failing a read-then-write transaction with "database is locked".
        options = connection.get_execution_options()
        if options.get(WITHOUT_TRANSACTION):
            return  # each statement on its own (a read block)
        mode = options.get(SQLITE_BEGIN_OPTION, "DEFERRED")
        driver_connection = connection.connection.dbapi_connection
        if isinstance(driver_connection, sqlite_driver.OneTripConnection):
            driver_connection.begin_with_next_statement(f"BEGIN {mode}")
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")


def _lock_at_begin(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        row = connection.get_execution_options().get(LOCK_AT_BEGIN_OPTION)
        if row is None:
            return
        table, row_id = row
        quoted = connection.dialect.identifier_preparer.quote(table)
        lock = f"SELECT 1 FROM {quoted} WHERE id = {int(row_id)} FOR UPDATE"
        driver_connection = connection.connection.dbapi_connection
        if isinstance(driver_connection, postgres_driver.LockFirstConnection):
            driver_connection.lock_at_begin(lock)
        else:
            connection.exec_driver_sql(lock)


def create_session_pool(engine: AsyncEngine) -> SessionPool:
    return async_sessionmaker(engine, expire_on_commit=False)
