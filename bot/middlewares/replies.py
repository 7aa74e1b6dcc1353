"""Replies to users survive Telegram's hiccups: a short 429 is waited out, a 5xx or network
error is tried again once or twice. Only while an update is being handled: the sender has its
own, stricter rules for messages it delivers from the outbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject

logger = logging.getLogger(__name__)

_handling_update: ContextVar[bool] = ContextVar("handling_update", default=False)


class HandlingUpdateMiddleware(BaseMiddleware):
    """Marks the calls made while handling an update, so that replies get retried."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = _handling_update.set(True)
        try:
            return await handler(event, data)
        finally:
            _handling_update.reset(token)


class ReplyRetryMiddleware(BaseRequestMiddleware):
    """Retries a reply after a short 429 (up to `longest_wait` s) or a server/network error."""

    def __init__(
        self,
        attempts: int = 3,
        longest_wait: float = 5.0,
        backoff: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.longest_wait = longest_wait
        self.backoff = backoff
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not _handling_update.get():
            return await make_request(bot, method)
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.longest_wait:
                    raise
                wait = float(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError):
                if attempt == self.attempts:
                    raise
                wait = self.backoff * attempt
            logger.info("retrying %s in %.1f s", type(method).__name__, wait)
            await self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
