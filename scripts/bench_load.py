"""Load benchmark: the bot in webhook mode (PostgreSQL + Redis), with one and with two
processes behind one address, under a bounded burst of mixed updates from simulated users.

Run: `make bench-load`. A local server speaks the Bot API; each simulated user sends a few
updates one after the other and waits for the bot's answer, as a person would. The run has a
PostgreSQL database and a Redis database of its own (`BENCH_POSTGRES_URL`, `BENCH_REDIS_URL`
name the servers). The last line sums it up: `load ups_1proc=<x> ups_2proc=<x> p95_ms=<x>
errors=<n> rss_mb=<x> cpu_ms_per_update=<x> max_ups_1proc=<x> max_ups_2proc=<x>
busy_cores_1proc=<x> busy_cores_2proc=<x> cores=<n> scaling=<x> scaling_per_core=<x>`
(`cpu_ms_per_update`: the bot processes' CPU time during the burst, divided by the updates
answered).

The burst can't ask for more than about 250 updates/s: its 1,000 people arrive over ten seconds
and read 0.7 s after every answer, so its `ups_*` say how fast that burst was answered, not how
much more the bot could take. After it, the same processes get 1,600 people who each send their
next update once the last is answered, and at most one a second (each step answers with
exactly one message): `max_ups_*` is the most they answered per second. The load, PostgreSQL
and Redis share the machine's cores with the bot processes: `busy_cores_*` says how many of
the machine's `cores` were busy meanwhile. With all of them busy, the machine set the most, not
the bot. `scaling` is the most of two processes over the most of one; `scaling_per_core` the
same per busy core (updates per second over `busy_cores_*`): 1.0 when two processes answer as
many updates per core of the machine as one, so that a second process adds all a free core can
give, wherever the cores run out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import socket
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_support import own_postgres_database, own_redis_database  # noqa: E402

from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
SECRET = "bench-secret"
PG_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_SERVER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ARRIVAL_SPREAD = 10.0  # seconds over which the simulated users start
# People who send once a second, enough of them to ask for far more than the bot answers: the
# most it answers. Not faster: the flood control (8 updates in 4 s) counts when an update
# arrives, and answers that come late then early would squeeze a person's updates together
# and silence them (no answer, counted as an error) though they never sent faster.
SATURATING_USERS = 1600
SATURATING_PACE = 1.0  # seconds from one update of a person to their next, at the least
SATURATING_SECONDS = 8.0
STEPS = ("/start", "/menu", "/help", "/taal", "hallo", "/agenda", "/zoek moestuin")


class Replies:
    """Wakes up the simulated user whose chat the bot just wrote to."""

    def __init__(self) -> None:
        self.waiting: dict[int, asyncio.Future[float]] = {}

    def hook(self, method: str, payload: dict[str, Any]) -> None:
        chat = payload.get("chat_id")
        if chat is None:
            return
        future = self.waiting.pop(int(chat), None)
        if future is not None and not future.done():
            future.set_result(time.monotonic())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Bewoner", "language_code": "nl"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "from": user,
            "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Bewoner"},
            "entities": entities if text.startswith("/") else [],
        },
    }


async def _start_bot(env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=str(ROOT),
        env={**env, "WEBHOOK_PORT": str(port)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    for _ in range(300):
        with contextlib.suppress(OSError):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return process
        await asyncio.sleep(0.1)
    raise RuntimeError("the bot did not start")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_cpu() -> tuple[int, int]:
    """The whole machine's busy and total CPU time so far, in ticks (`/proc/stat`)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return sum(ticks) - idle, sum(ticks)


def _busy_cores(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return busy / max(total, 1) * (os.cpu_count() or 1)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _run(processes: int, users: int, steps: int) -> dict[str, float]:
    replies = Replies()
    async with (
        own_postgres_database(PG_SERVER, f"load{processes}") as database_url,
        own_redis_database(REDIS_SERVER, f"load{processes}") as redis_url,
        FakeTelegram(hook=lambda m, p: replies.hook(m, p)) as api,
    ):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.url,
            "WEBHOOK_URL": "https://bot.example.org",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        }
        migrate = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "migrate",
            cwd=str(ROOT),
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await migrate.wait()
        ports = [_free_port() for _ in range(processes)]
        bots = [await _start_bot(env, port) for port in ports]
        try:
            cpu_before = sum(_cpu_seconds(bot.pid) for bot in bots)
            figures = await _burst(ports, users, steps, replies)
            cpu = sum(_cpu_seconds(bot.pid) for bot in bots) - cpu_before
            figures["cpu_ms_per_update"] = cpu * 1000 / max(figures["answered"], 1)
            figures["rss_mb"] = max(_rss_mb(bot.pid) for bot in bots)
            machine_before = _machine_cpu()
            figures.update(await _saturate(ports, replies))
            figures["busy_cores"] = _busy_cores(machine_before, _machine_cpu())
        finally:
            for bot in bots:
                bot.terminate()
                await bot.wait()
    return figures


async def _burst(ports: list[int], users: int, steps: int, replies: Replies) -> dict[str, float]:
    update_ids = itertools.count(random.randint(10**8, 10**9))
    balance = itertools.cycle(ports)  # the load balancer in front of the processes
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def user(user_id: int) -> None:
            nonlocal errors
            await asyncio.sleep(random.random() * ARRIVAL_SPREAD)  # people arrive over a while
            for text in random.sample(STEPS, k=min(steps, len(STEPS))):
                loop = asyncio.get_running_loop()
                answered: asyncio.Future[float] = loop.create_future()
                replies.waiting[user_id] = answered
                sent = time.monotonic()
                url = f"http://127.0.0.1:{next(balance)}/telegram/webhook"
                try:
                    async with http.post(
                        url,
                        json=_update(next(update_ids), user_id, text),
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    ) as response:
                        if response.status != 200:
                            errors += 1
                            continue
                    latencies.append(await asyncio.wait_for(answered, 15) - sent)
                except (TimeoutError, aiohttp.ClientError):
                    errors += 1
                await asyncio.sleep(0.7)  # a person reads before typing again

        started = time.monotonic()
        await asyncio.gather(*(user(5_000_000 + n) for n in range(users)))
        elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    return {
        "ups": len(latencies) / elapsed,
        "p95_ms": p95 * 1000,
        "errors": errors,
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "answered": len(latencies),
    }


async def _saturate(ports: list[int], replies: Replies) -> dict[str, float]:
    """The most the processes answer: the burst offers about 250 updates/s (its people read
    between updates), so here `SATURATING_USERS` people each send their next update once the
    last is answered and a second has passed since their last, for `SATURATING_SECONDS`; updates
    answered per second."""
    update_ids = itertools.count(random.randint(2 * 10**9, 3 * 10**9))
    balance = itertools.cycle(ports)
    answered = errors = 0
    deadline = time.monotonic() + SATURATING_SECONDS
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200)) as http:

        async def user(user_id: int) -> None:
            nonlocal answered, errors
            steps = itertools.cycle(random.sample(STEPS, k=len(STEPS)))
            await asyncio.sleep(random.random() * SATURATING_PACE)
            while (sent := time.monotonic()) < deadline:
                loop = asyncio.get_running_loop()
                reply: asyncio.Future[float] = loop.create_future()
                replies.waiting[user_id] = reply
                url = f"http://127.0.0.1:{next(balance)}/telegram/webhook"
                try:
                    async with http.post(
                        url,
                        json=_update(next(update_ids), user_id, next(steps)),
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    ) as response:
                        if response.status != 200:
                            errors += 1
                            continue
                    await asyncio.wait_for(reply, 15)
                    answered += 1
                except (TimeoutError, aiohttp.ClientError):
                    errors += 1
                await asyncio.sleep(max(0.0, sent + SATURATING_PACE - time.monotonic()))

        started = time.monotonic()
        await asyncio.gather(*(user(6_000_000 + n) for n in range(SATURATING_USERS)))
        elapsed = time.monotonic() - started
    return {"max_ups": answered / elapsed, "max_errors": errors}


def _per_core(figures: dict[str, float]) -> float:
    """The most updates per second answered, per core of the machine busy meanwhile."""
    return figures["max_ups"] / max(figures["busy_cores"], 0.01)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=3, help="updates per simulated user")
    args = parser.parse_args()
    one = asyncio.run(_run(1, args.users, args.steps))
    print(
        f"1 process:  {one['answered']:.0f} answered, {one['ups']:.1f} updates/s, "
        f"median {one['median_ms']:.0f} ms, p95 {one['p95_ms']:.0f} ms, "
        f"errors {one['errors']:.0f}, RSS {one['rss_mb']:.0f} MB, "
        f"CPU {one['cpu_ms_per_update']:.2f} ms per update; "
        f"at most {one['max_ups']:.1f} updates/s ({one['max_errors']:.0f} errors, "
        f"{one['busy_cores']:.2f} of {os.cpu_count()} cores busy)"
    )
    two = asyncio.run(_run(2, args.users, args.steps))
    print(
        f"2 processes: {two['answered']:.0f} answered, {two['ups']:.1f} updates/s, "
        f"median {two['median_ms']:.0f} ms, p95 {two['p95_ms']:.0f} ms, "
        f"errors {two['errors']:.0f}, RSS {two['rss_mb']:.0f} MB per process, "
        f"CPU {two['cpu_ms_per_update']:.2f} ms per update; "
        f"at most {two['max_ups']:.1f} updates/s ({two['max_errors']:.0f} errors, "
        f"{two['busy_cores']:.2f} of {os.cpu_count()} cores busy)"
    )
    print(
        f"load ups_1proc={one['ups']:.1f} ups_2proc={two['ups']:.1f} "
        f"p95_ms={max(one['p95_ms'], two['p95_ms']):.0f} "
        f"errors={one['errors'] + two['errors']:.0f} "
        f"rss_mb={max(one['rss_mb'], two['rss_mb']):.0f} "
        f"cpu_ms_per_update={one['cpu_ms_per_update']:.2f} "
        f"max_ups_1proc={one['max_ups']:.1f} max_ups_2proc={two['max_ups']:.1f} "
        f"busy_cores_1proc={one['busy_cores']:.2f} busy_cores_2proc={two['busy_cores']:.2f} "
        f"cores={os.cpu_count()} scaling={two['max_ups'] / one['max_ups']:.2f} "
        f"scaling_per_core={_per_core(two) / _per_core(one):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
