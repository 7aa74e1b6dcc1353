"""A screenshot of the map with the demo data, for a person to look at:
`python scripts/screenshot_map.py [map.png] [--lang en] [--width 1100 --height 760]`
(or `make screenshot-map`). Runs the map on localhost in Debian's Chromium, headless; map tiles
come from the internet and are left out when it can't be reached."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.console.local_map import CHROMIUM_ARGS, chromium_path, local_map  # noqa: E402
from bot.lifecycle import prepare_database  # noqa: E402


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="map.png")
    parser.add_argument("--lang", default="nl")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=760)
    args = parser.parse_args()
    browser_path = chromium_path()
    if browser_path is None:
        print("no Chromium found: install Debian's chromium package", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/map.db"
        settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
        await prepare_database(settings, demo_data=True)
        async with local_map(settings) as base, async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(browser_path), args=CHROMIUM_ARGS, headless=True
            )
            page = await browser.new_page(viewport={"width": args.width, "height": args.height})
            await page.goto(f"{base}/webapp/?lang={args.lang}")
            await page.wait_for_selector("body[data-loaded]", timeout=20_000)
            await page.wait_for_timeout(800)  # let the clusters settle
            await page.screenshot(path=args.out, full_page=False)
            await browser.close()
    print(f"map screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
