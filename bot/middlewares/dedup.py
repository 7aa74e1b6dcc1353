"""Each update is handled once, also when Telegram delivers it again (a webhook retry) or when
several processes receive it. Redis remembers across processes; memory within one."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis

logger = logging.getLogger(__name__)

REMEMBER_SECONDS = 24 * 3600


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


class RedisSeenUpdates:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = f"samenspel:update:{bot_id}:{update_id}"
        return bool(await self.redis.set(key, 1, nx=True, ex=REMEMBER_SECONDS))


class DeduplicationMiddleware(BaseMiddleware):
    def __init__(self, seen: SeenUpdates) -> None:
        self.seen = seen

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot: Bot | None = data.get("bot")
        if (
            isinstance(event, Update)
            and bot is not None
            and not await self.seen.first_time(bot.id, event.update_id)
        ):
            logger.info("update %s arrived again; skipped", event.update_id)
            return None
        return await handler(event, data)
