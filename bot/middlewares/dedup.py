"""Each update is handled once, also when Telegram delivers it again (a webhook retry) or when
several processes receive it. Memory remembers within one process; with Redis the update gate
(`bot.middlewares.update_gate`) remembers across processes."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Protocol

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from bot.middlewares.pasted_parts import PastedParts

logger = logging.getLogger(__name__)


class SeenUpdates(Protocol):
    async def first_time(self, bot_id: int, update_id: int) -> bool:
        """True the first time an update is seen, False ever after."""
        ...


class MemorySeenUpdates:
    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = (bot_id, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True


class DeduplicatingDispatcher(Dispatcher):
    """A Dispatcher that drops an update it handled before first of all: before the per-person
    lock and the conversation state are fetched (aiogram's FSM middleware comes before any
    middleware of ours), so a redelivered update costs one check and nothing else. The parts of
    a long paste are joined here too (`PastedParts`), before that lock. Without `seen_updates`,
    the Redis gate drops repeats (in the same round trip that takes the lock, see
    `update_gate`)."""

    def __init__(
        self,
        *,
        seen_updates: SeenUpdates | None,
        pasted_parts: PastedParts | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.seen_updates = seen_updates
        self.pasted_parts = pasted_parts or PastedParts()

    async def feed_update(self, bot: Bot, update: Update, **kwargs: Any) -> Any:
        if not await self._first_time(bot, update):
            logger.info("update %s arrived again; skipped", update.update_id)
            return None
        whole = await self.pasted_parts.gather(update)
        if whole is None:  # a later part of a long paste: handled with the first part
            return None
        return await super().feed_update(bot, whole, **kwargs)

    async def _first_time(self, bot: Bot, update: Update) -> bool:
        if self.seen_updates is None:
            return True
        try:
            return await self.seen_updates.first_time(bot.id, update.update_id)
        except Exception as exc:  # Redis away: better handle it (maybe twice) than lose it
            logger.warning("could not check update %s for a repeat: %s", update.update_id, exc)
            return True
