"""Benchmark the map: the data response for 1k, 10k and 100k initiatives (time to first byte
over repeated requests, size with and without gzip) and the page's load time in headless
Chromium with 10k markers. Each size gets a database of its own (SQLite files in a temporary
folder, never the suite's).

Usage: python scripts/bench_map.py [--sizes 1000,10000,100000] [--requests 20]
The last line is `map p95_10k_ms=<x> bytes_10k=<x> page_load_10k_ms=<x>`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.catalog.municipalities import MUNICIPALITIES  # noqa: E402
from bot.catalog.themes import THEME_SLUGS  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.local_map import CHROMIUM_ARGS, chromium_path, local_map  # noqa: E402
from bot.lifecycle import prepare_database  # noqa: E402
from storage.engine import create_engine, create_session_pool  # noqa: E402
from storage.models import Initiative, InitiativeStatus  # noqa: E402

WORDS = [
    "buurt",
    "moestuin",
    "repair",
    "café",
    "eettafel",
    "taalcafé",
    "wandelclub",
    "mantelzorg",
    "jongeren",
    "ouderen",
    "samen",
    "koffie",
    "ochtend",
    "avond",
    "tuin",
    "groen",
    "energie",
    "zonnepanelen",
    "speeltuin",
    "bibliotheek",
    "buren",
    "hulp",
    "klussen",
    "fiets",
    "muziek",
    "koor",
    "sport",
    "dans",
    "kunst",
    "natuur",
    "bijen",
]


async def _fill(url: str, size: int) -> None:
    rng = random.Random(size)
    now = datetime.now(UTC)
    rows = []
    for number in range(size):
        place = rng.choice(MUNICIPALITIES)
        name = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {number}"
        rows.append(
            {
                "name": name,
                "description": " ".join(rng.choices(WORDS, k=25)).capitalize() + ".",
                "themes": rng.sample(THEME_SLUGS, 2),
                "municipality": place.name,
                "lat": place.lat + rng.uniform(-0.03, 0.03),
                "lon": place.lon + rng.uniform(-0.04, 0.04),
                "website": f"https://initiatief{number}.example" if number % 3 == 0 else None,
                "keywords": rng.sample(WORDS, 2),
                "status": InitiativeStatus.PUBLISHED,
                "consent_at": now,
                "consent_source": "member",
                "published_at": now,
                "last_confirmed_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    engine = create_engine(url)
    async with create_session_pool(engine)() as session:
        for start in range(0, size, 5000):
            await session.execute(insert(Initiative), rows[start : start + 5000])
        await session.commit()
    await engine.dispose()


async def _requests(base: str, count: int) -> tuple[list[float], int, int, float]:
    """(times to first byte in ms of warm requests, gzip bytes, plain bytes, cold ms)."""
    address = f"{base}/webapp/api/initiatives.geojson"
    times: list[float] = []
    cold = 0.0
    gzipped = plain = 0
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        for number in range(count + 1):
            began = time.perf_counter()
            async with http.get(address, headers={"Accept-Encoding": "gzip"}) as response:
                elapsed = (time.perf_counter() - began) * 1000
                body = await response.read()
            if number == 0:
                cold, gzipped = elapsed, len(body)
            else:
                times.append(elapsed)
        async with http.get(address, headers={"Accept-Encoding": "identity"}) as response:
            plain = len(await response.read())
    return times, gzipped, plain, cold


async def _page_load(base: str) -> float:
    from playwright.async_api import async_playwright

    browser_path = chromium_path()
    if browser_path is None:
        return float("nan")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(browser_path), args=CHROMIUM_ARGS, headless=True
        )
        page = await browser.new_page(viewport={"width": 1100, "height": 760})
        await page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
        began = time.perf_counter()
        await page.goto(f"{base}/webapp/?lang=nl")
        await page.wait_for_selector("body[data-loaded=true]", timeout=120_000)
        elapsed = (time.perf_counter() - began) * 1000
        await browser.close()
    return elapsed


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    summary: dict[str, float] = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
            await prepare_database(settings, demo_data=False)
            await _fill(url, size)
            async with local_map(settings) as base:
                times, gzipped, plain, cold = await _requests(base, args.requests)
                line = (
                    f"{size:>7} initiatives: first response {cold:.0f} ms, then "
                    f"median {statistics.median(times):.1f} ms, p95 {_p95(times):.1f} ms; "
                    f"{gzipped / 1024:.0f} KiB gzip ({plain / 1024:.0f} KiB plain)"
                )
                if size == 10_000:
                    summary["p95_10k_ms"] = _p95(times)
                    summary["bytes_10k"] = gzipped
                    summary["page_load_10k_ms"] = await _page_load(base)
                    line += f"; page load in Chromium {summary['page_load_10k_ms']:.0f} ms"
                print(line, flush=True)
    print(
        f"map p95_10k_ms={summary.get('p95_10k_ms', float('nan')):.1f} "
        f"bytes_10k={int(summary.get('bytes_10k', 0))} "
        f"page_load_10k_ms={summary.get('page_load_10k_ms', float('nan')):.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
