"""One database session per update, handed to handlers as `session` and `repo`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from storage.engine import SessionPool
from storage.repositories import Repo


class DatabaseMiddleware(BaseMiddleware):
    """Opens a session from the `session_pool` in the workflow data; closes it afterwards."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        pool: SessionPool = data["session_pool"]
        async with pool() as session:
            data["session"] = session
            data["repo"] = Repo(session)
            return await handler(event, data)
