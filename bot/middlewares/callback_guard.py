"""Buttons the bot never made: callback data with a number outside the 64-bit range that every
id column has (a forged button) is answered and dropped before any handler or query sees it."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, TelegramObject

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"-?\d{19,}")
_LOWEST, _HIGHEST = -(2**63), 2**63 - 1


def out_of_range(data: str) -> bool:
    """True when a number in the data cannot be an id the database could hold."""
    return any(not _LOWEST <= int(n) <= _HIGHEST for n in _NUMBER.findall(data))


class CallbackGuardMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, CallbackQuery) and event.data and out_of_range(event.data):
            logger.info("callback with an impossible number dropped")
            await event.answer()
            return None
        return await handler(event, data)
