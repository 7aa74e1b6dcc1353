"""Records the person behind each update (never bots or channels) and hands them on as `user`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser

from bot.clock import Clock
from bot.config import Settings
from bot.services.users import TelegramPerson, see_user
from storage.repositories import Repo


class UserMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        data["user"] = None
        if sender is not None and not sender.is_bot:
            settings: Settings = data["settings"]
            clock: Clock = data["clock"]
            repo: Repo = data["repo"]
            person = TelegramPerson(
                id=sender.id,
                first_name=sender.first_name,
                last_name=sender.last_name,
                username=sender.username,
                language_code=sender.language_code,
            )
            data["user"] = await see_user(
                repo,
                person,
                now=clock.now(),
                coordinator_ids=settings.coordinator_ids,
                recent=data.get("known_users"),
            )
        return await handler(event, data)
