"""PostgreSQL through asyncpg, where a write may lock its row in the round trip of its BEGIN.

SQLAlchemy's asyncpg adapter begins a transaction with a BEGIN of its own, a round trip before
the first statement. A write that is about one busy row (a sign-up takes its table's row) then
sent the lock of that row as a second. Here the lock can travel with the BEGIN: one simple query
of two statements (`BEGIN; SELECT 1 FROM … WHERE id = … FOR UPDATE`), and everything the block
reads afterwards begins once the row is held, so it sees what the last holder committed.

The transaction begun that way is ended as asyncpg's would be (COMMIT or ROLLBACK, through the
adapter). It is known to the adapter before the query is sent: a lock that fails or is given
up on while it waits leaves a transaction that the pool rolls back.

`create_engine` uses this dialect for every `postgresql+asyncpg` URL; anything that is not
told to lock at its BEGIN behaves as asyncpg does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_dbapi,
    PGDialect_asyncpg,
)
from sqlalchemy.util import await_

DRIVER = "asyncpg_lockfirst"
# The isolation levels asyncpg begins with a plain BEGIN or this one; others begin as before.
_BEGIN = {None: "BEGIN", "read_committed": "BEGIN ISOLATION LEVEL READ COMMITTED"}


class _BegunHere:
    """A transaction this driver began: ended as asyncpg's own (the adapter calls these)."""

    __slots__ = ("_connection",)

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def commit(self) -> None:
        await self._connection.execute("COMMIT")

    async def rollback(self) -> None:
        await self._connection.execute("ROLLBACK")


class LockFirstConnection(AsyncAdapt_asyncpg_connection):
    __slots__ = ("_lock_at_begin",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self._lock_at_begin: str | None = None

    def lock_at_begin(self, statement: str) -> None:
        """Send `statement` (a lock, its values written in) together with the BEGIN of the
        transaction that the next statement opens."""
        self._lock_at_begin = statement

    async def _start_transaction(self) -> None:
        lock, self._lock_at_begin = self._lock_at_begin, None
        begin = _BEGIN.get(self.isolation_level, "")
        if lock is None or not begin or self.readonly or self.deferrable:
            await super()._start_transaction()  # type: ignore[no-untyped-call]
            return
        connection: Any = self._connection
        self._transaction = _BegunHere(connection)  # type: ignore[assignment]
        try:
            await connection.execute(f"{begin}; {lock}")
        except Exception as error:
            self._handle_exception(error)

    async def fetch_rows(self, operation: str, parameters: Sequence[Any]) -> tuple[Any, list[Any]]:
        """A statement's description and rows, sent as a cursor sends it (in the transaction,
        begun first if it is still to be: `storage.plain_statements`), its errors those of the
        cursor."""
        cursor: Any = self.cursor()
        await cursor._prepare_and_execute(operation, parameters)
        return cursor.description, list(cursor._rows)

    def rollback(self) -> None:
        self._lock_at_begin = None
        super().rollback()  # type: ignore[no-untyped-call]

    def commit(self) -> None:
        self._lock_at_begin = None
        super().commit()  # type: ignore[no-untyped-call]


class LockFirstDBAPI(AsyncAdapt_asyncpg_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> LockFirstConnection:
        creator = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        return await_(
            LockFirstConnection.create(
                self,
                creator(*arg, **kw),
                prepared_statement_cache_size=cache_size,
                prepared_statement_name_func=name_func,
            )
        )


class LockFirstPostgresDialect(PGDialect_asyncpg):
    driver = DRIVER
    supports_statement_cache = True

    @classmethod
    def import_dbapi(cls) -> LockFirstDBAPI:  # type: ignore[override]
        return LockFirstDBAPI(__import__("asyncpg"))  # type: ignore[no-untyped-call]


registry.register(f"postgresql.{DRIVER}", __name__, "LockFirstPostgresDialect")
