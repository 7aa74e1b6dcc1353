"""Benchmark of the sign-up flow: many people tapping "sign up" at once, through the real
Dispatcher (middlewares, router, service, database) with a Bot API session that answers
locally, on SQLite and (when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set) PostgreSQL.

It compares with a bare aiogram Dispatcher answering the same updates with a trivial handler:
the framework's own ceiling on this machine. Updates go in as Telegram sends them (JSON turned
into a dict, `feed_raw_update`, as the webhook does), once the dispatcher has started as the
bot starts (its start-up hooks run, the search index loaded). Each database gets several
bursts, each on a new database, and the median burst is reported. The last line is
machine-readable:

    signup sqlite_ups=… postgres_ups=… bare_ups=… sqlite_ratio=… postgres_ratio=… p95_ms=… bursts=…
        sqlite_busy=… postgres_busy=…

`*_busy` is the share of the median burst's wall time the process spent on the CPU. Near 1, the
CPU set the pace. Well below it, the table's row did: sign-ups for one table are written one
after the other, each holding the row for its last few round trips to the database, and once
most of the crowd waits for the row, the process waits with them.

Everything runs on the event loop the bot runs on (`bot.event_loop`).
Run with `make bench-signup`. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import TelegramMethod
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from bench_support import as_sent
from sqlalchemy import text
from sqlalchemy.engine import make_url

import bot.middlewares.user as user_middleware
import handlers.events.signup as signup_handlers
from bot.app import build_bot, build_dispatcher
from bot.clock import FakeClock
from bot.config import Settings
from bot.event_loop import run
from bot.heap import set_aside_long_lived
from bot.i18n import create_i18n
from bot.keyboards.callbacks import EventCallback
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.services.events.admin import EventDraft, create_event
from scheduler.setup import build_scheduler
from storage.base import Base
from storage.engine import SessionPool, create_engine, create_session_pool
from storage.repositories import Repo

BOT_USER = User(id=42, is_bot=True, first_name="Samenspel", username="samenspel_bench_bot")


class LocalSession(BaseSession):
    """Answers every Bot API call at once, as Telegram would, without a network."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._ids = itertools.count(1)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.calls += 1
        name = type(method).__name__
        if name in ("SendMessage", "EditMessageText"):
            chat_id = int(getattr(method, "chat_id", 0) or 0)
            return Message(
                message_id=next(self._ids),
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private"),
                from_user=BOT_USER,
                text=getattr(method, "text", None),
            )
        return True


def updates(event_id: int, count: int, first_id: int) -> list[dict[str, Any]]:
    data = EventCallback(action="join", event_id=event_id).pack()
    result = []
    for n in range(count):
        person = User(id=first_id + n, is_bot=False, first_name=f"Bewoner{n}", language_code="nl")
        message = Message(
            message_id=n + 1,
            date=datetime.now(UTC),
            chat=Chat(id=person.id, type="private"),
            from_user=BOT_USER,
            text="…",
        )
        query = CallbackQuery(
            id=str(n), from_user=person, chat_instance=str(person.id), message=message, data=data
        )
        result.append(as_sent(Update(update_id=first_id + n, callback_query=query)))
    return result


async def feed_all(
    dispatcher: Dispatcher, bot: Bot, batch: list[dict[str, Any]], concurrency: int
) -> tuple[float, list[float]]:
    """Wall time and per-update latencies of feeding `batch` with `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one(update: dict[str, Any]) -> None:
        async with gate:
            started = time.perf_counter()
            await dispatcher.feed_raw_update(bot, update)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(update) for update in batch))
    return time.perf_counter() - started, latencies


Timings = defaultdict[str, float]


def timed(
    name: str, func: Callable[..., Awaitable[Any]], spent: Timings
) -> Callable[..., Awaitable[Any]]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await func(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return wrapper


async def bench_real(
    url: str, count: int, concurrency: int, capacity: int, known_users: bool = False
) -> dict[str, Any]:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    pool = create_session_pool(engine)
    clock = FakeClock(datetime.now(UTC))
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    async with pool() as session:
        event = await create_event(
            Repo(session),
            EventDraft(
                "table",
                "Bench",
                clock.now() + timedelta(days=7),
                clock.now() + timedelta(days=7, hours=2),
                "Zaal",
                "Utrecht",
                capacity,
            ),
            created_by=None,
            now=clock.now(),
        )
        event_id = event.id
        if known_users:  # people who used the bot before: the middleware only reads them
            repo = Repo(session)
            async with repo.write():
                for n in range(count):
                    await repo.users.ensure(
                        10_000_000 + n,
                        first_name=f"Bewoner{n}",
                        last_name=None,
                        username=None,
                        telegram_language="nl",
                        now=clock.now(),
                    )
    dispatcher = build_dispatcher(
        settings,
        session_pool=pool,
        clock=clock,
        i18n=create_i18n("nl"),
        scheduler=build_scheduler(),
        storage=MemoryStorage(),
        throttling=ThrottlingMiddleware(limit=10_000),
    )
    bot = build_bot(settings, LocalSession())
    await _start(dispatcher, bot, pool)
    spent: Timings = defaultdict(float)
    see_user, sign_up = user_middleware.see_user, signup_handlers.registrations.sign_up
    user_middleware.see_user = timed("user lookup/upsert incl. queueing", see_user, spent)  # type: ignore[assignment]
    signup_handlers.registrations.sign_up = timed("sign-up use-case", sign_up, spent)  # type: ignore[assignment]
    try:
        cpu_before = time.process_time()
        wall, latencies = await feed_all(
            dispatcher, bot, updates(event_id, count, 10_000_000), concurrency
        )
        cpu = time.process_time() - cpu_before
    finally:
        user_middleware.see_user = see_user  # type: ignore[assignment]
        signup_handlers.registrations.sign_up = sign_up  # type: ignore[assignment]
        await dispatcher.emit_shutdown(bot=bot, **dispatcher.workflow_data)
    async with pool() as session:
        seats = await Repo(session).registrations.seats_taken(event_id)
        waiting = await Repo(session).registrations.waitlist_length(event_id)
    await engine.dispose()
    assert seats == min(capacity, count) and seats + waiting == count, "capacity rule broken"
    return {
        "ups": count / wall,
        "latencies": latencies,
        "wall": wall,
        "spent": dict(spent),
        "busy": cpu / wall,
        "cpu_ms": cpu * 1000 / count,
    }


async def _start(dispatcher: Dispatcher, bot: Bot, pool: SessionPool) -> None:
    """Starts the dispatcher as the bot does, and waits until it is ready (as `/readyz` would
    say): the burst meets the process as people meet a running bot, its start-up done (the
    search index loaded, and what start-up built set aside from the cycle collector)."""
    await dispatcher.emit_startup(bot=bot, dispatcher=dispatcher, **dispatcher.workflow_data)
    async with pool() as session:
        await dispatcher["search_index"].fresh(Repo(session))


async def bench_bare(count: int, concurrency: int) -> float:
    router = Router()

    async def answer(query: CallbackQuery) -> None:
        await query.answer("ok")

    router.callback_query.register(answer)
    dispatcher = Dispatcher(storage=MemoryStorage())
    dispatcher.include_router(router)
    bot = Bot("1000000001:bench-has-no-telegram-token-at-all-xx", session=LocalSession())
    wall, _latencies = await feed_all(dispatcher, bot, updates(1, count, 20_000_000), concurrency)
    return count / wall


async def postgres_url() -> tuple[str | None, Callable[[], Awaitable[None]]]:
    base = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")

    async def nothing() -> None:
        return None

    if not base:
        return None, nothing
    name = f"samenspel_bench_{uuid.uuid4().hex[:8]}"
    admin_url = make_url(base)

    async def admin(statement: str) -> None:
        engine = create_engine(admin_url.render_as_string(hide_password=False))
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))
        await engine.dispose()

    await admin(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin_url.set(database=name).render_as_string(hide_password=False), drop


def p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 1 else 0.0


def median_burst(bursts: list[dict[str, Any]]) -> dict[str, Any]:
    """The burst in the middle by updates per second: one burst of a few hundred updates lasts
    about a second, and on a busy machine one such second differs from the next."""
    ordered = sorted(bursts, key=lambda burst: burst["ups"])
    return ordered[(len(ordered) - 1) // 2]


def report(name: str, result: dict[str, Any], bursts: list[dict[str, Any]]) -> None:
    lat = result["latencies"]
    every = " ".join(f"{burst['ups']:.0f}" for burst in bursts)
    print(
        f"{name}: {result['ups']:.0f} updates/s (median of {len(bursts)}: {every}), "
        f"p50 {statistics.median(lat) * 1000:.1f} ms, p95 {p95(lat):.1f} ms, "
        f"wall {result['wall']:.2f} s, busy {result['busy']:.2f} of it, "
        f"{result['cpu_ms']:.2f} ms CPU per sign-up"
    )
    # The first database call of an update also waits for a pooled connection, and a writer
    # for the write lock (SQLite) or the event row (PostgreSQL): queueing shows up there.
    total = sum(lat)
    for part, seconds in sorted(result["spent"].items(), key=lambda item: -item[1]):
        print(f"    {part}: {seconds / total:.0%} of the summed latency")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument(
        "--known-users", action="store_true", help="everyone used the bot before (no user insert)"
    )
    parser.add_argument(
        "--bursts",
        type=int,
        default=5,
        help="bursts per database, each on a new database; the median burst is reported",
    )
    args = parser.parse_args()

    # As in a process that has started (see `_start`): what it imported is set aside.
    set_aside_long_lived()
    bare = await bench_bare(args.updates, args.concurrency)
    print(f"bare aiogram: {bare:.0f} updates/s")
    workload = (args.updates, args.concurrency, args.capacity, args.known_users)
    sqlite_bursts = []
    for _ in range(args.bursts):
        with tempfile.TemporaryDirectory() as folder:
            sqlite_bursts.append(
                await bench_real(f"sqlite+aiosqlite:///{folder}/bench.db", *workload)
            )
    sqlite = median_burst(sqlite_bursts)
    report("sqlite", sqlite, sqlite_bursts)
    url, drop = await postgres_url()
    postgres: dict[str, Any] | None = None
    if url:
        try:
            postgres_bursts = [await bench_real(url, *workload) for _ in range(args.bursts)]
        finally:
            await drop()
        postgres = median_burst(postgres_bursts)
        report("postgres", postgres, postgres_bursts)
    else:
        print("postgres: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)")
    p95_ms = max(p95(sqlite["latencies"]), p95(postgres["latencies"]) if postgres else 0.0)
    pg_ups = f"{postgres['ups']:.0f}" if postgres else "n/a"
    pg_ratio = f"{postgres['ups'] / bare:.3f}" if postgres else "n/a"
    pg_busy = f"{postgres['busy']:.2f}" if postgres else "n/a"
    print(
        f"signup sqlite_ups={sqlite['ups']:.0f} postgres_ups={pg_ups} bare_ups={bare:.0f} "
        f"sqlite_ratio={sqlite['ups'] / bare:.3f} postgres_ratio={pg_ratio} p95_ms={p95_ms:.1f} "
        f"bursts={args.bursts} sqlite_busy={sqlite['busy']:.2f} postgres_busy={pg_busy}"
    )


if __name__ == "__main__":
    run(main())
