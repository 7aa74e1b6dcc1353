"""Buttons that open the map (the Mini App at /webapp/): in the main menu, and "🗺 Op de kaart"
on every card, centred on that initiative or event. Only when the map has a public address
(WEBAPP_URL); the address is set per update by `MapLinkMiddleware`."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardButton, MenuButtonWebApp, TelegramObject, WebAppInfo
from aiogram.utils.i18n import get_i18n

from bot.i18n import CatalogI18n, _, speaking

logger = logging.getLogger(__name__)

MAP_PATH = "/webapp/"
_MAP_URL: ContextVar[str | None] = ContextVar("map_url", default=None)


def use_map_url(base: str | None) -> None:
    """Where the map is served from now on in this context (None: no map buttons)."""
    _MAP_URL.set(base)


def map_url() -> str | None:
    """Where the map is served from in this context (None: no map buttons)."""
    return _MAP_URL.get()


def map_address(base: str, *, language: str | None = None, focus: str = "") -> str:
    """The map's address, in `language`, centred on `focus` ("i_12", "e_5") when given."""
    query = {key: value for key, value in (("lang", language), ("focus", focus)) if value}
    return f"{base}{MAP_PATH}" + (f"?{urlencode(query)}" if query else "")


def _language() -> str | None:
    try:
        return get_i18n().current_locale
    except LookupError:
        return None


def map_button(focus: str = "") -> InlineKeyboardButton | None:
    """The button that opens the map in Telegram (centred on `focus`), or None without a map."""
    base = _MAP_URL.get()
    if not base:
        return None
    label = _("🗺 On the map") if focus else _("🗺 Map")
    return InlineKeyboardButton(
        text=label, web_app=WebAppInfo(url=map_address(base, language=_language(), focus=focus))
    )


class MapLinkMiddleware(BaseMiddleware):
    """Makes the map's public address known to the keyboards built for this update."""

    def __init__(self, base: str | None) -> None:
        self.base = base

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        use_map_url(self.base)
        return await handler(event, data)


async def set_map_menu_button(bot: Bot, i18n: CatalogI18n, base: str) -> None:
    """The chat's menu button opens the map; a failure is logged, the bot goes on."""
    with speaking(i18n, i18n.default_locale):
        label = _("🗺 Map")
    address = map_address(base, language=i18n.default_locale)
    try:
        await bot.set_chat_menu_button(
            menu_button=MenuButtonWebApp(text=label, web_app=WebAppInfo(url=address))
        )
    except TelegramAPIError as exc:
        logger.warning("could not set the map as the menu button: %s", type(exc).__name__)
