"""Chooses the language of each update: the user's choice > Telegram's language > the default."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser

from bot.i18n import CatalogI18n, pick_locale, speaking
from storage.models import User


class LocaleMiddleware(BaseMiddleware):
    def __init__(self, i18n: CatalogI18n) -> None:
        self.i18n = i18n

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("user")
        sender: TelegramUser | None = data.get("event_from_user")
        locale = pick_locale(
            user.language if user else None,
            sender.language_code if sender else None,
            self.i18n.default_locale,
        )
        data["locale"] = locale
        data["i18n"] = self.i18n
        with speaking(self.i18n, locale):
            return await handler(event, data)
