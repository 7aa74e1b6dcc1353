"""Delivery benchmark: the real sender, over real HTTP, against a local Bot API server that
enforces Telegram's overall limit (429 + retry_after) and answers 403 for some recipients.

Run: `make bench-delivery`. Two runs: a clean one, and one in which the sender process is killed
with SIGKILL halfway and started again. The last line sums it up for tracking over time.

`make bench-delivery ARGS="--processes 3"`: three sender processes at once, on a PostgreSQL
database and Redis keys of the benchmark's own (BENCH_POSTGRES_URL, BENCH_REDIS_URL), each
allowed DELIVERY_RATE on its own; the shared limit must keep them together within the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.lifecycle import prepare_database  # noqa: E402
from storage.engine import create_engine, create_session_pool  # noqa: E402
from storage.repositories import Repo  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from bench_support import own_postgres_database, own_redis_database  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
MARK = re.compile(r"#(\d+)$")


class LimitedTelegram:
    """Wraps FakeTelegram with an overall limit per sliding second and blocked recipients."""

    def __init__(self, limit: int, blocked: set[int]) -> None:
        self.limit = limit
        self.blocked = blocked
        self.window: collections.deque[float] = collections.deque()
        self.too_many = 0
        self.forbidden = 0
        self.received: collections.Counter[int] = collections.Counter()
        self.first: float | None = None
        self.last: float = 0.0

    def hook(self, method: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if method != "sendMessage":
            return None
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit:
            self.too_many += 1
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        chat_id = int(payload["chat_id"])
        if chat_id in self.blocked:
            self.forbidden += 1
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        self.window.append(now)
        match = MARK.search(str(payload.get("text", "")))
        if match:
            self.received[int(match.group(1))] += 1
        self.first = self.first if self.first is not None else now
        self.last = now
        return None


async def _fill(database_url: str, rows: int, blocked_share: float) -> set[int]:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    await prepare_database(settings, demo_data=False)
    engine = create_engine(database_url)
    now = datetime.now(UTC)
    blocked: set[int] = set()
    step = int(1 / blocked_share) if blocked_share else 0
    async with create_session_pool(engine)() as session:
        repo = Repo(session)
        async with repo.write():
            for n in range(rows):
                user_id = 10_000_000 + n
                if step and n % step == 0:
                    blocked.add(user_id)
                await repo.users.ensure(
                    user_id,
                    first_name="Bench",
                    last_name=None,
                    username=None,
                    telegram_language="nl",
                    now=now,
                )
                await repo.outbox.add(
                    key=f"bench:{n}",
                    recipient_id=user_id,
                    kind="announcement",
                    params={"text": f"Nieuwsbrief van Samenspel #{n}"},
                    due_at=now,
                    subject="bench",
                    urgent=True,
                    now=now,
                )
    await engine.dispose()
    return blocked


def _worker(
    database_url: str, api_url: str, rate: float, *, redis_url: str = "", token: str = TOKEN
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": api_url,
        "BOT_TOKEN": token,
        "DELIVERY_RATE": str(rate),
        "REDIS_URL": redis_url,
        "PYTHONPATH": str(ROOT),
    }
    return asyncio.create_subprocess_exec(  # type: ignore[return-value]
        sys.executable,
        "-m",
        "bot",
        "deliver",
        "--until-idle",
        "--lease",
        "5",
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _run(
    rows: int, limit: int, rate: float, blocked_share: float, kill_at: int | None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        blocked = await _fill(database_url, rows, blocked_share)
        server = LimitedTelegram(limit, blocked)
        async with FakeTelegram(hook=server.hook) as api:
            started = time.monotonic()
            process = await _worker(database_url, api.url, rate)
            in_flight_at_kill = 0
            if kill_at is not None:
                while sum(server.received.values()) < kill_at:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                process.send_signal(signal.SIGKILL)
                await process.wait()
                in_flight_at_kill = await _count_sending(database_url)
                process = await _worker(database_url, api.url, rate)
            await process.wait()
            elapsed = time.monotonic() - started
        expected = {n for n in range(rows) if 10_000_000 + n not in blocked}
        delivered = set(server.received)
        duplicates = sum(count - 1 for count in server.received.values() if count > 1)
        sending_span = max(server.last - (server.first or server.last), 1e-9)
        return {
            "rate": (sum(server.received.values())) / sending_span,
            "elapsed": elapsed,
            "too_many": server.too_many,
            "forbidden": server.forbidden,
            "duplicates": duplicates,
            "lost": len(expected - delivered),
            "in_flight_at_kill": in_flight_at_kill,
        }


async def _count_sending(database_url: str) -> int:
    engine = create_engine(database_url)
    async with create_session_pool(engine)() as session:
        from sqlalchemy import func, select

        from storage.models import OutboxMessage

        count = await session.scalar(select(func.count()).where(OutboxMessage.status == "sending"))
    await engine.dispose()
    return int(count or 0)


async def _run_processes(
    processes: int, rows: int, limit: int, rate: float, blocked_share: float
) -> dict[str, float]:
    """Several sender processes on one PostgreSQL database of the benchmark's own."""
    base = os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    # A bot id of this run only: the shared buckets are keyed by the bot.
    token = f"{700_000_000 + os.getpid()}:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
    redis_base = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    async with (
        own_postgres_database(base, "delivery") as database_url,
        own_redis_database(redis_base, "delivery") as redis_url,
    ):
        blocked = await _fill(database_url, rows, blocked_share)
        server = LimitedTelegram(limit, blocked)
        async with FakeTelegram(hook=server.hook) as api:
            started = time.monotonic()
            workers = [
                await _worker(database_url, api.url, rate, redis_url=redis_url, token=token)
                for _ in range(processes)
            ]
            for worker in workers:
                await worker.wait()
            elapsed = time.monotonic() - started
    expected = {n for n in range(rows) if 10_000_000 + n not in blocked}
    delivered = set(server.received)
    sending_span = max(server.last - (server.first or server.last), 1e-9)
    return {
        "rate": sum(server.received.values()) / sending_span,
        "elapsed": elapsed,
        "too_many": server.too_many,
        "duplicates": sum(count - 1 for count in server.received.values() if count > 1),
        "lost": len(expected - delivered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--limit", type=int, default=30, help="the server's messages per second")
    parser.add_argument("--rate", type=float, default=29.0, help="the sender's DELIVERY_RATE")
    parser.add_argument("--blocked", type=float, default=0.05, help="share of 403 recipients")
    parser.add_argument("--processes", type=int, default=1, help="sender processes at once")
    args = parser.parse_args()

    if args.processes > 1:
        many = asyncio.run(
            _run_processes(args.processes, args.rows, args.limit, args.rate, args.blocked)
        )
        print(
            f"delivery processes={args.processes} rows={args.rows} "
            f"rate={many['rate']:.2f} limit={args.limit} ratio={many['rate'] / args.limit:.3f} "
            f"too_many={many['too_many']:.0f} duplicates={many['duplicates']:.0f} "
            f"lost={many['lost']:.0f} elapsed_s={many['elapsed']:.1f}"
        )
        return 0

    clean = asyncio.run(_run(args.rows, args.limit, args.rate, args.blocked, None))
    print(
        f"clean run: {args.rows} rows in {clean['elapsed']:.1f} s, "
        f"{clean['rate']:.2f} msg/s delivered (limit {args.limit}), "
        f"429s={clean['too_many']:.0f} 403s={clean['forbidden']:.0f} "
        f"duplicates={clean['duplicates']:.0f} lost={clean['lost']:.0f}"
    )
    crash = asyncio.run(_run(args.rows, args.limit, args.rate, args.blocked, args.rows // 2))
    print(
        f"crash run: killed with SIGKILL at {args.rows // 2} delivered, "
        f"{crash['in_flight_at_kill']:.0f} claimed but unfinished at the kill; "
        f"duplicates={crash['duplicates']:.0f} lost={crash['lost']:.0f}"
    )
    ratio = clean["rate"] / args.limit
    print(
        f"delivery rate={clean['rate']:.2f} limit={args.limit} ratio={ratio:.3f} "
        f"duplicates={clean['duplicates']:.0f} lost={clean['lost']:.0f} "
        f"crash_duplicates={crash['duplicates']:.0f} crash_lost={crash['lost']:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
