"""What the benchmarks share: a PostgreSQL database and a Redis database of their own, made (or
claimed) and emptied around a run, so that no benchmark ever touches the test suite's data; and
updates as Telegram sends them."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.types import Update
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.engine import create_engine


def as_sent(update: Update) -> dict[str, Any]:
    """The update as Telegram sends it, JSON without the fields that are not there: fed with
    `feed_raw_update`, the Dispatcher reads it once, as the webhook does."""
    raw: dict[str, Any] = json.loads(update.model_dump_json(exclude_none=True))
    return raw


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


CLAIM_KEY = "samenspel:bench:claimed-by"
REDIS_DATABASES = range(1, 16)  # 0 is the default (and the suite's); never used here


@asynccontextmanager
async def own_redis_database(base_url: str, purpose: str) -> AsyncIterator[str]:
    """An empty Redis database on the server of `base_url` (1 to 15, never the one the URL
    names), claimed with a marker for the run and emptied afterwards; yields its URL."""
    server = base_url.rsplit("/", 1)[0] if base_url.count("/") > 2 else base_url
    taken = base_url.rsplit("/", 1)[1] if base_url.count("/") > 2 else "0"
    for number in REDIS_DATABASES:
        if str(number) == taken:
            continue
        url = f"{server}/{number}"
        client = Redis.from_url(url)
        try:
            if await client.dbsize() == 0 and await client.set(
                CLAIM_KEY, f"{purpose}:{os.getpid()}", nx=True
            ):
                try:
                    yield url
                finally:
                    await client.flushdb()
                return
        finally:
            await client.aclose()
    raise RuntimeError("no empty Redis database (1-15) is free for the benchmark")
