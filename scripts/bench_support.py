"""What the benchmarks share: a PostgreSQL database of their own, made and dropped around a run,
so that no benchmark ever touches the test suite's database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import create_engine


@asynccontextmanager
async def own_postgres_database(base_url: str, purpose: str) -> AsyncIterator[str]:
    """A fresh database `samenspel_bench_<purpose>_<pid>` on the server of `base_url`; yields
    its URL and drops it (with any connection left) afterwards."""
    server = make_url(base_url)
    name = f"samenspel_bench_{purpose}_{os.getpid()}"
    admin = create_engine(server.set(database="postgres").render_as_string(hide_password=False))

    async def run(statement: str) -> None:
        async with admin.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))

    await run(f'DROP DATABASE IF EXISTS "{name}"')
    await run(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        await run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.dispose()
