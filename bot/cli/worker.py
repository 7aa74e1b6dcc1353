"""A delivery-only process: the sender without the chat (a separate worker, or the benchmark)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.app import close_application, create_application
from bot.config import Settings
from bot.services.change_broadcast import ChangeBroadcast
from storage.repositories import Repo

logger = logging.getLogger(__name__)


async def run_delivery_worker(
    settings: Settings, *, until_idle: bool = False, lease_seconds: float = 120.0
) -> None:
    """Deliver due outbox rows until stopped (or, with `until_idle`, until nothing is left)."""
    app = create_application(settings)
    changes = app.extras.get("changes")
    if isinstance(changes, ChangeBroadcast):
        await changes.start()  # a person who blocked the bot is told to the other processes
    sender = app.sender
    sender.lease = timedelta(seconds=lease_seconds)
    try:
        while True:
            claimed = await sender.tick()
            if until_idle and not claimed and not sender.in_flight:
                async with app.session_pool() as session:
                    if await Repo(session).outbox.count_open() == 0:
                        break
            await asyncio.sleep(0 if claimed else 0.2)
        await sender.drain()
    finally:
        await sender.close()
        await close_application(app)
    logger.info("delivery worker stopped: %s", sender.stats)
