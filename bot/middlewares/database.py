"""The repositories of one update, handed to handlers as `repo`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from storage.engine import SessionPool
from storage.repositories import Repo


class DatabaseMiddleware(BaseMiddleware):
    """Gives the update its `repo`, whose session is opened from the `session_pool` in the
    workflow data when it is first used, and closed afterwards."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        pool: SessionPool = data["session_pool"]
        async with Repo.opened_when_used(pool) as repo:
            data["repo"] = repo
            return await handler(event, data)
