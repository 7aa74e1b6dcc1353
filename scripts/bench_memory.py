"""Memory and start-up of one real bot process, in webhook mode, on a SQLite database of the
benchmark's own with 10,000 and 100,000 published initiatives: how long until its port answers,
how long until `/readyz` says ready (database reachable, search index loaded), and its resident
memory then. Its port answers before the index is there: it answers updates from then on, and
a search waits for the index. Each size starts the bot twice: first on a database it never saw
(it builds the search index, and saves it when it is stopped), then again, as after a deploy
(it reads the saved index back). The last line is machine-readable:

    memory rss_10k_mb=… rss_100k_mb=… port_10k_s=… port_100k_s=… ready_10k_s=… ready_100k_s=…
        first_port_10k_s=… first_ready_10k_s=… first_port_100k_s=… first_ready_100k_s=…

`port_*` and `ready_*` are the restart, `first_port_*` and `first_ready_*` the very first start;
`rss_*` is the larger of the two.

Run with `make bench-memory` (`ARGS="--sizes 10000"` for one size). Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import aiohttp  # noqa: E402
from bench_updates import _fill  # noqa: E402

from bot.clock import FakeClock  # noqa: E402
from storage import migrate  # noqa: E402
from storage.engine import create_engine  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _measure(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/memory.db"
        await _fill(url, size, 0, FakeClock(datetime.now(UTC)))
        engine = create_engine(url)
        await migrate.stamp(engine)
        await engine.dispose()
        first = await _start(url, folder)
        again = await _start(url, folder)
    return {
        "rss_mb": max(first["rss_mb"], again["rss_mb"]),
        "port_s": again["port_s"],
        "ready_s": again["ready_s"],
        "first_port_s": first["port_s"],
        "first_ready_s": first["ready_s"],
        "first_rss_mb": first["rss_mb"],
        "again_rss_mb": again["rss_mb"],
    }


async def _start(url: str, folder: str) -> dict[str, float]:
    """Start the bot, wait until it is ready, note its memory, stop it."""
    port = _free_port()
    async with FakeTelegram() as api:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.url,
            "DATABASE_URL": url,
            "WEBHOOK_URL": "https://bot.example.org",
            "WEBHOOK_SECRET": "bench-memory",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "REDIS_URL": "",
        }
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=folder,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        port_s = ready_s = -1.0
        try:
            async with aiohttp.ClientSession() as session:
                for _ in range(3000):
                    with contextlib.suppress(aiohttp.ClientError):
                        async with session.get(f"http://127.0.0.1:{port}/readyz") as reply:
                            if port_s < 0:
                                port_s = time.monotonic() - started
                            if reply.status == 200:
                                ready_s = time.monotonic() - started
                                break
                    await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # settle
            rss = _rss_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()
    return {"rss_mb": rss, "port_s": port_s, "ready_s": ready_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    parts = []
    for size in (int(s) for s in args.sizes.split(",")):
        figures = asyncio.run(_measure(size))
        label = f"{size // 1000}k"
        print(
            f"{size} initiatives: first start: port after {figures['first_port_s']:.1f} s, "
            f"ready after {figures['first_ready_s']:.1f} s; "
            f"restart: port after {figures['port_s']:.1f} s, ready after "
            f"{figures['ready_s']:.1f} s; {figures['first_rss_mb']:.0f} MB resident after the "
            f"first start, {figures['again_rss_mb']:.0f} MB after the restart"
        )
        parts += [
            f"rss_{label}_mb={figures['rss_mb']:.0f}",
            f"port_{label}_s={figures['port_s']:.1f}",
            f"ready_{label}_s={figures['ready_s']:.1f}",
            f"first_port_{label}_s={figures['first_port_s']:.1f}",
            f"first_ready_{label}_s={figures['first_ready_s']:.1f}",
        ]
    print("memory " + " ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
