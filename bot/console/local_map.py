"""The map on this machine, for a person trying it, a screenshot, a benchmark or a browser test:
the bot's application on a database, without Telegram, with the map's server on localhost."""

from __future__ import annotations

import io
import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import close_application, create_application
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.console.session import ConsoleSession
from webapp.server import serve_map

# What a headless browser on a server needs: no sandbox (containers), no GPU, no first-run
# screens, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def chromium_path() -> Path | None:
    """The system's Chromium (Debian's package), or None when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def local_map(settings: Settings, clock: Clock | None = None) -> AsyncIterator[str]:
    """Serve the map of the database in `settings` on localhost; yields its base address."""
    clock = clock or SystemClock()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(update={"webapp_url": base})
    session = ConsoleSession(io.StringIO(), clock.now, {})
    app = create_application(settings, clock=clock, bot_session=session)
    runner = await serve_map(app, host="127.0.0.1", port=port)
    try:
        yield base
    finally:
        await runner.cleanup()
        await close_application(app)
