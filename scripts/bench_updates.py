"""What one update costs: CPU time per update through the real Dispatcher (middlewares, router,
services, database), beside a bare aiogram Dispatcher answering the same updates with a trivial
handler, on SQLite and (when BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set) on PostgreSQL with
Redis (an empty database of its own on the server of BENCH_REDIS_URL, default the local Redis).
Each backend runs on a database of the benchmark's own, with 10,000 initiatives for the search.

Per kind of update it reports the median CPU milliseconds (process time, so a noisy machine's
waiting does not count), and the most SQL transactions and Redis commands any one update made.
The bare Dispatcher answers as many updates right after each block of twenty updates of the
bot, so both are measured at the same moments (this machine's speed drifts by half and more
within minutes) and each with its own code warm in the caches; `…_x` says how many times the
bare update's CPU time each kind costs (the median over the blocks), which stays put when the
machine's speed does not.
Each person sends one unmeasured update first, so the process knows them, as on a running bot.
Updates go in as Telegram sends them, JSON turned into a dict (`feed_raw_update`, as the webhook
does), so reading the update is measured too, once, as on a running bot.
The last lines are machine-readable:

    updates backend=sqlite menu_ms=… card_ms=… search_ms=… signup_ms=… bare_ms=…
        sql_tx_max=… redis_max=… menu_x=… card_x=… search_x=… signup_x=…   (one line per backend)

Everything runs on the event loop the bot runs on (`bot.event_loop`).
Run with `make bench-updates`. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from aiogram import Bot, Dispatcher, Router  # noqa: E402
from aiogram.fsm.storage.memory import MemoryStorage  # noqa: E402
from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User  # noqa: E402
from bench_search import CorpusGenerator  # noqa: E402
from bench_signup import BOT_USER, LocalSession  # noqa: E402
from bench_support import as_sent, own_postgres_database, own_redis_database  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

from bot.app import build_bot, build_dispatcher  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.event_loop import run  # noqa: E402
from bot.i18n import create_i18n  # noqa: E402
from bot.keyboards.callbacks import EventAction, EventCallback  # noqa: E402
from bot.middlewares.redis_line import RedisLine  # noqa: E402
from bot.middlewares.throttling import ThrottlingMiddleware  # noqa: E402
from bot.services.database_upkeep import refresh_planner_statistics  # noqa: E402
from bot.services.events.admin import EventDraft, create_event  # noqa: E402
from bot.services.known_users import TTL as KNOWN_USERS_TTL  # noqa: E402
from scheduler.setup import build_scheduler  # noqa: E402
from storage.base import Base  # noqa: E402
from storage.engine import create_engine, create_session_pool  # noqa: E402
from storage.models import Initiative  # noqa: E402
from storage.models.search import mark_changed  # noqa: E402
from storage.repositories import Repo  # noqa: E402

SHARED = ROOT.parent / "shared" / "search-eval" / "dev"
FIRST_USER = 20_000_000
KINDS = ("menu", "card", "search", "signup")
# Updates of one kind measured before as many bare ones.
BLOCK = 20


Raw = dict[str, Any]


def _message(update_id: int, user_id: int, text: str) -> Raw:
    person = User(id=user_id, is_bot=False, first_name="Anna", language_code="nl")
    entities = None
    if text.startswith("/"):
        entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
    message = Message(
        message_id=update_id,
        date=datetime.now(UTC),
        chat=Chat(id=user_id, type="private"),
        from_user=person,
        text=text,
        entities=entities,
    )
    return as_sent(Update(update_id=update_id, message=message))


def _tap(update_id: int, user_id: int, data: str) -> Raw:
    person = User(id=user_id, is_bot=False, first_name="Anna", language_code="nl")
    message = Message(
        message_id=update_id,
        date=datetime.now(UTC),
        chat=Chat(id=user_id, type="private"),
        from_user=BOT_USER,
        text="…",
    )
    query = CallbackQuery(
        id=str(update_id), from_user=person, chat_instance="x", message=message, data=data
    )
    return as_sent(Update(update_id=update_id, callback_query=query))


class Counters:
    """SQL transactions (BEGIN) and Redis commands made while one update is handled."""

    def __init__(self) -> None:
        self.transactions = 0
        self.redis = 0


def _count_transactions(engine: Any, counters: Counters) -> None:
    @event.listens_for(engine.sync_engine, "begin")
    def _begin(_connection: Any) -> None:
        counters.transactions += 1


def _count_redis(counters: Counters) -> Callable[[], None]:
    from redis.asyncio.client import Pipeline, Redis

    original, original_pipe = Redis.execute_command, Pipeline.execute
    original_line = RedisLine._write

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        counters.redis += 1
        return await original(self, *args, **kwargs)

    async def counted_pipe(self: Any, *args: Any, **kwargs: Any) -> Any:
        counters.redis += len(self.command_stack)
        return await original_pipe(self, *args, **kwargs)

    def counted_line(protocol: Any, command: bytes) -> Any:  # the update gate's connection
        counters.redis += 1
        return original_line(protocol, command)

    Redis.execute_command = counted  # type: ignore[method-assign]
    Pipeline.execute = counted_pipe  # type: ignore[method-assign]
    RedisLine._write = staticmethod(counted_line)  # type: ignore[method-assign]

    def restore() -> None:
        Redis.execute_command = original  # type: ignore[method-assign]
        Pipeline.execute = original_pipe  # type: ignore[method-assign]
        RedisLine._write = staticmethod(original_line)  # type: ignore[method-assign]

    return restore


async def _fill(url: str, initiatives: int, people: int, clock: FakeClock) -> int:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    records = json.loads((SHARED / "initiatives.json").read_text(encoding="utf-8"))
    docs = CorpusGenerator(records).corpus(initiatives)
    now = clock.now()
    rows = [
        {
            "name": doc.name[:120], "description": doc.description[:1000],
            "themes": list(doc.themes), "municipality": doc.municipality,
            "neighbourhood": doc.neighbourhood, "lat": doc.lat, "lon": doc.lon,
            "status": "published", "created_at": now, "updated_at": now,
            "published_at": now, "last_confirmed_at": now,
        }
        for doc in docs
    ]  # fmt: skip
    pool = create_session_pool(engine)
    async with pool() as session:
        repo = Repo(session)
        async with repo.write():
            for start in range(0, len(rows), 1000):
                added = await session.execute(
                    insert(Initiative).returning(Initiative.id), rows[start : start + 1000]
                )
                mark_changed(session.sync_session, added.scalars())
            for n in range(people):
                await repo.users.ensure(
                    FIRST_USER + n, first_name="Anna", last_name=None, username=None,
                    telegram_language="nl", now=now,
                )  # fmt: skip
        event_row = await create_event(
            repo,
            EventDraft(
                "table", "Samen aan tafel", now + timedelta(days=7),
                now + timedelta(days=7, hours=2), "Buurthuis", "Utrecht", people + 10,
            ),
            created_by=None,
            now=now,
        )  # fmt: skip
        event_id = event_row.id
        # As the bot does at every start and once a day: the planner knows the tables.
        await refresh_planner_statistics(repo)
    await engine.dispose()
    return event_id


class BareDispatcher:
    """aiogram with a trivial handler, answering a message as the bot answers its own: the
    framework's own cost on this machine at this moment."""

    def __init__(self) -> None:
        router = Router()

        @router.message()
        async def answer(message: Message) -> None:
            await message.answer("ok")

        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(router)
        self.bot = Bot("42:BENCH", session=LocalSession())
        self.updates = itertools.count(3 * 10**9)

    async def one(self) -> float:
        """CPU ms of one update."""
        update_id = next(self.updates)
        update = _message(update_id, FIRST_USER + update_id % 10_000, "/menu")
        started = time.process_time()
        await self.dispatcher.feed_raw_update(self.bot, update)
        return (time.process_time() - started) * 1000


@dataclass
class Measured:
    """One kind of update: the median CPU ms of the bot's and of the bare updates beside them,
    the median ratio of the pairs, and the most transactions and Redis commands of one."""

    ms: float
    bare_ms: float
    times_bare: float
    most_tx: int
    most_redis: int


async def _measure(
    dispatcher: Dispatcher, bot: Bot, batch: list[Raw], counters: Counters, bare: BareDispatcher
) -> Measured:
    cpu: list[float] = []
    bare_cpu: list[float] = []
    ratios: list[float] = []
    most_tx = most_redis = 0
    for start in range(0, len(batch), BLOCK):
        ours: list[float] = []
        for update in batch[start : start + BLOCK]:
            counters.transactions = counters.redis = 0
            started = time.process_time()
            await dispatcher.feed_raw_update(bot, update)
            ours.append((time.process_time() - started) * 1000)
            most_tx = max(most_tx, counters.transactions)
            most_redis = max(most_redis, counters.redis)
        theirs = [await bare.one() for _ in ours]
        cpu += ours
        bare_cpu += theirs
        ratios.append(statistics.median(ours) / max(statistics.median(theirs), 1e-9))
    return Measured(
        statistics.median(cpu), statistics.median(bare_cpu), statistics.median(ratios),
        most_tx, most_redis,
    )  # fmt: skip


async def bench_backend(
    url: str, redis_url: str | None, initiatives: int, count: int
) -> dict[str, float]:
    clock = FakeClock(datetime.now(UTC))
    event_id = await _fill(url, initiatives, count * 2, clock)
    engine = create_engine(url)
    counters = Counters()
    _count_transactions(engine, counters)
    restore = _count_redis(counters)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        redis_url=redis_url,
    )
    storage = None if redis_url else MemoryStorage()
    dispatcher = build_dispatcher(
        settings,
        session_pool=create_session_pool(engine),
        clock=clock,
        i18n=create_i18n("nl"),
        scheduler=build_scheduler(),
        storage=storage,
        throttling=ThrottlingMiddleware(limit=10**6),
    )
    if redis_url:  # as the bot runs: changes to people are announced, so they are kept longer
        dispatcher["known_users"].ttl = KNOWN_USERS_TTL
    async with create_session_pool(engine)() as session:
        await dispatcher["search_index"].load(Repo(session))
    bot = build_bot(settings, LocalSession())
    ids = iter(range(10**9, 2 * 10**9))
    people = [FIRST_USER + n for n in range(count)]
    card = EventCallback(action=EventAction.OPEN, event_id=event_id).pack()
    join = EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
    kinds = {
        "menu": [_message(next(ids), p, "/menu") for p in people],
        "card": [_tap(next(ids), p, card) for p in people],
        "search": [_message(next(ids), p, "/zoek moestuin utrecht") for p in people],
        "signup": [_tap(next(ids), p, join) for p in people],
    }
    result: dict[str, float] = {"sql_tx_max": 0, "redis_max": 0}
    bare = BareDispatcher()
    bare_ms: list[float] = []
    try:
        # Every person was seen once before, as on a bot that runs: the measured updates are
        # those of people the process knows (the first update of a person also reads them).
        warm_up = [_message(next(ids), p, "/menu") for p in people]
        await _measure(dispatcher, bot, warm_up, counters, bare)
        for name, batch in kinds.items():
            measured = await _measure(dispatcher, bot, batch, counters, bare)
            result[f"{name}_ms"] = measured.ms
            result[f"{name}_x"] = measured.times_bare
            bare_ms.append(measured.bare_ms)
            result["sql_tx_max"] = max(result["sql_tx_max"], measured.most_tx)
            result["redis_max"] = max(result["redis_max"], measured.most_redis)
        result["bare_ms"] = statistics.median(bare_ms)
    finally:
        restore()
        gate = getattr(dispatcher.fsm, "gate", None)
        if gate is not None:
            await gate.close()
        await dispatcher.storage.close()
        await engine.dispose()
    return result


async def _postgres(base: str, initiatives: int, count: int, redis_url: str) -> dict[str, float]:
    async with (
        own_postgres_database(base, "updates") as url,
        own_redis_database(redis_url, "updates") as own_redis,
    ):
        return await bench_backend(url, own_redis, initiatives, count)


def _line(backend: str, figures: dict[str, float]) -> str:
    return (
        f"updates backend={backend} menu_ms={figures['menu_ms']:.2f} "
        f"card_ms={figures['card_ms']:.2f} search_ms={figures['search_ms']:.2f} "
        f"signup_ms={figures['signup_ms']:.2f} bare_ms={figures['bare_ms']:.2f} "
        f"sql_tx_max={figures['sql_tx_max']:.0f} redis_max={figures['redis_max']:.0f} "
        + " ".join(f"{kind}_x={figures[f'{kind}_x']:.1f}" for kind in KINDS)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--count", type=int, default=200, help="updates of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite = run(
            bench_backend(
                f"sqlite+aiosqlite:///{folder}/bench.db", None, args.initiatives, args.count
            )
        )
    lines = [_line("sqlite", sqlite)]
    postgres_url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    if postgres_url:
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        figures = run(_postgres(postgres_url, args.initiatives, args.count, redis_url))
        lines.append(_line("postgres", figures))
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
