"""Per-user flood control: a friendly "slow down" once, then a few seconds of silence."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TelegramUser

from bot.i18n import _


@dataclass
class _Budget:
    moments: deque[float] = field(default_factory=deque)
    silenced_until: float = 0.0


class ThrottlingMiddleware(BaseMiddleware):
    """Allows `limit` updates per `window` seconds per user; past that, warns once and drops."""

    def __init__(
        self,
        limit: int = 8,
        window: float = 4.0,
        silence: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.silence = silence
        self._monotonic = monotonic
        self._budgets: dict[int, _Budget] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is None or not isinstance(event, Update):
            return await handler(event, data)
        known = data.get("user")
        if known is not None and getattr(known, "is_coordinator", False):
            return await handler(event, data)  # a coordinator's work is never dropped
        now = self._monotonic()
        budget = self._budgets.setdefault(sender.id, _Budget())
        if now < budget.silenced_until:
            return None
        while budget.moments and budget.moments[0] <= now - self.window:
            budget.moments.popleft()
        if len(budget.moments) >= self.limit:
            budget.silenced_until = now + self.silence
            budget.moments.clear()
            await self._warn(event)
            return None
        budget.moments.append(now)
        if len(self._budgets) > 10_000:
            self._forget_quiet_users(now)
        return await handler(event, data)

    async def _warn(self, update: Update) -> None:
        text = _(
            "That was very fast, so I'm skipping your messages for a few seconds. "
            "Send again what you still need in a moment."
        )
        if isinstance(update.message, Message) and update.message.chat.type == "private":
            await update.message.answer(text)
        elif isinstance(update.callback_query, CallbackQuery):
            await update.callback_query.answer(text)

    def _forget_quiet_users(self, now: float) -> None:
        quiet = [
            user_id
            for user_id, budget in self._budgets.items()
            if not budget.moments or budget.moments[-1] <= now - self.window
        ]
        for user_id in quiet:
            del self._budgets[user_id]
