"""The map in a real browser: Debian's Chromium, headless, driven by Playwright, against the real
server on localhost with the demo data. Map tiles never load (the tile server is answered with
an empty tile), as on a machine without internet: markers, list, filters and search still work."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bot.config import Settings
from bot.console.local_map import CHROMIUM_ARGS, chromium_path, local_map
from bot.lifecycle import prepare_database
from tests.test_webapp_api import signed_init_data

try:
    from playwright.async_api import Browser, Page, async_playwright
except ImportError:  # pragma: no cover - installed by `make test`
    async_playwright = None  # type: ignore[assignment]

BROWSER = chromium_path()
pytestmark = pytest.mark.skipif(
    BROWSER is None or async_playwright is None,
    reason="no Chromium: install Debian's chromium and chromium-driver (.ci/run does)",
)
TOKEN = "123456:" + "A" * 35
# A 1×1 transparent PNG: what the tile server "answers" here.
EMPTY_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
async def map_url(tmp_path: Path) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'map.db'}"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        bot_token=TOKEN,
    )
    await prepare_database(settings, demo_data=True)
    async with local_map(settings) as base:
        yield f"{base}/webapp/"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert async_playwright is not None and BROWSER is not None
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(BROWSER), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


class Opened:
    """A page of the map, with every console error and failed script it produced."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    async def loaded(self) -> None:
        await self.page.wait_for_selector("body[data-loaded=true]", timeout=20_000)

    async def list_names(self) -> list[str]:
        return await self.page.locator("#list .name").all_inner_texts()

    async def marker_count(self) -> int:
        return int(await self.page.evaluate("window.samenspelMap.markerCount()"))


async def _open(browser: Browser, address: str, *, tiles: bool = True, **context: Any) -> Opened:
    page = await (await browser.new_context(**context)).new_page()
    opened = Opened(page)

    async def outside(route: Any) -> None:
        """The tile server answers with an empty tile; nothing else outside is reached."""
        if tiles and route.request.url.startswith("https://service.pdok.nl/"):
            await route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        else:
            await route.abort()

    await page.route(lambda url: not url.startswith("http://127.0.0.1"), outside)
    await page.goto(address)
    await opened.loaded()
    return opened


async def test_the_map_shows_every_place_as_a_marker_and_in_the_list(
    browser: Browser, map_url: str
) -> None:
    opened = await _open(browser, map_url + "?lang=nl")
    page = opened.page
    assert await page.title() == "Kaart van Samenspel"
    names = await opened.list_names()
    assert "Buurtmoestuin De Groene Vinger" in names and "Samen eten, samen praten" in names
    assert await opened.marker_count() == len(names)
    count = await page.locator("#count").inner_text()
    assert count == f"{len(names)} resultaten"
    # Clusters or markers are drawn on the map itself.
    assert await page.locator(".leaflet-marker-icon").count() > 0
    assert opened.errors == []


async def test_a_theme_filter_leaves_the_right_markers_and_list_entries(
    browser: Browser, map_url: str
) -> None:
    opened = await _open(browser, map_url + "?lang=nl")
    page = opened.page
    await page.select_option("#kind", "initiatives")
    await opened.loaded()
    await page.select_option("#theme", "voedsel")
    await page.wait_for_function("document.querySelectorAll('#list li').length < 10")
    names = await opened.list_names()
    assert set(names) == {
        "Buurtmoestuin De Groene Vinger",
        "Samentuin Schothorst",
        "Eettafel Het Rond",
    }
    assert await opened.marker_count() == 3
    metas = await page.locator("#list .meta").all_inner_texts()
    assert all("Voedsel" in meta for meta in metas)
    assert opened.errors == []


async def test_a_search_with_a_typo_finds_the_initiative_and_its_marker_opens_the_card(
    browser: Browser, map_url: str
) -> None:
    opened = await _open(browser, map_url + "?lang=nl")
    page = opened.page
    await page.fill("#q", "moestuinn groene")
    await page.press("#q", "Enter")
    await page.wait_for_function(
        "document.querySelector('#list .name')?.textContent === 'Buurtmoestuin De Groene Vinger'"
    )
    marker = page.locator('.leaflet-marker-icon[title="Buurtmoestuin De Groene Vinger"]')
    await marker.click()
    card = page.locator("#card")
    await card.wait_for(state="visible")
    assert await page.locator("#card-title").inner_text() == "Buurtmoestuin De Groene Vinger"
    link = page.locator("#card a.open-in-chat")
    assert await link.inner_text() == "Open in de chat"
    assert await link.get_attribute("href") == "https://t.me/samenspel_bot?start=i_1"
    assert opened.errors == []


async def test_the_list_works_with_the_keyboard_alone(browser: Browser, map_url: str) -> None:
    opened = await _open(browser, map_url + "?lang=en")
    page = opened.page
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Skip to the list"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "results"
    await page.keyboard.press("Tab")
    first = await page.evaluate("document.activeElement.querySelector('.name').textContent")
    await page.keyboard.press("Enter")
    await page.locator("#card").wait_for(state="visible")
    assert await page.locator("#card-title").inner_text() == first
    assert await page.evaluate("document.activeElement.id") == "card-close"
    await page.keyboard.press("Escape")
    assert await page.locator("#card").is_hidden()
    assert await page.evaluate("document.activeElement.querySelector('.name').textContent") == first
    assert opened.errors == []


async def test_english_and_dark_mode_follow_the_reader(browser: Browser, map_url: str) -> None:
    opened = await _open(browser, map_url + "?lang=en", color_scheme="dark")
    page = opened.page
    assert await page.title() == "Samenspel map"
    assert await page.locator("#search-button").inner_text() == "Search"
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"
    # Telegram's own theme colours win when the Mini App gets them.
    theme = quote(json.dumps({"bg_color": "#102030", "text_color": "#fafafa"}))
    themed = await _open(browser, map_url + f"?lang=en#tgWebAppThemeParams={theme}")
    colour = await themed.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour == "rgb(16, 32, 48)"
    assert opened.errors == [] and themed.errors == []


async def test_signing_up_from_telegram_and_read_only_without_it(
    browser: Browser, map_url: str
) -> None:
    opened = await _open(browser, map_url + "?lang=nl")
    page = opened.page
    await page.evaluate("window.samenspelMap.open('e1')")
    status = page.locator("#card .signup-status")
    assert await status.inner_text() == "Open de kaart vanuit Telegram om je hier aan te melden."
    assert await page.locator("#card .signup-button").count() == 0

    init_data = signed_init_data(777_001, datetime.now(UTC))
    signed = await _open(browser, map_url + "?lang=nl#tgWebAppData=" + quote(init_data))
    page = signed.page
    await page.evaluate("window.samenspelMap.open('e1')")
    await page.locator("#card .signup-button").click()
    await page.wait_for_function(
        "document.querySelector('#card .signup-status').textContent.length > 0"
    )
    assert await page.locator("#card .signup-status").inner_text() == (
        "Je bent aangemeld! Je krijgt een herinnering in de chat."
    )
    assert await page.locator("#card .signup-button").count() == 0
    await page.locator("#card-close").click()
    await page.evaluate("window.samenspelMap.open('e1')")
    assert await page.locator("#card .signup-status").inner_text() == "Je bent aangemeld."
    assert opened.errors == [] and signed.errors == []


async def test_without_tiles_markers_list_filters_and_search_still_work(
    browser: Browser, map_url: str
) -> None:
    opened = await _open(browser, map_url + "?lang=nl", tiles=False)
    page = opened.page
    names = await opened.list_names()
    assert len(names) > 10 and await opened.marker_count() == len(names)
    await page.fill("#q", "repair cafe")
    await page.press("#q", "Enter")
    await page.wait_for_function("document.querySelectorAll('#list li').length < 10")
    assert (await opened.list_names())[:2] == ["Repair Café Lombok", "Reparatiecafé Zeist"]
    # The only errors are the tiles that could not load.
    assert opened.errors
    assert all(error.startswith("Failed to load resource") for error in opened.errors)
