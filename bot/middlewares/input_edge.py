"""Input cleaned at the edge, once, for every handler.

- NUL bytes: PostgreSQL refuses to store them, so a name or text with one would fail every
  write. They are taken out of the update before anything reads it (`NulCleaningMiddleware`,
  first in the chain, so the user upsert already sees clean names).
- Numbers no id can have: a command whose number is outside the 64-bit range of every id
  column (`/start e_999…`, `/afgelasten 999…`), or a message that is only such a number (the
  answer to "which event?" in a conversation), gets a friendly word and goes no further
  (`ImpossibleNumberMiddleware`, after the locale is known). Buttons have the same guard in
  `callback_guard.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.types import Message, TelegramObject, Update

from bot.i18n import _
from bot.middlewares.callback_guard import out_of_range

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _has_nul(update: Update) -> bool:
    """A quick look at the fields people type (texts, names, button data, inline queries)."""
    event = update.event
    texts: list[str | None] = []
    if isinstance(event, Message):
        texts += [event.text, event.caption]
    for name in ("data", "query"):
        value = getattr(event, name, None)
        texts.append(value if isinstance(value, str) else None)
    person = getattr(event, "from_user", None)
    if person is not None:
        texts += [person.first_name, person.last_name, person.username]
    return any(text is not None and "\x00" in text for text in texts)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class NulCleaningMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update) and _has_nul(event):
            bot: Bot = data["bot"]
            raw = _without_nul(event.model_dump(mode="python", exclude_none=True))
            event = Update.model_validate(raw, context={"bot": bot})
            data["event_update"] = event
            # aiogram read the person and the chat from the update before this middleware ran.
            context = UserContextMiddleware.resolve_event_context(event=event)
            data["event_context"] = context
            if context.user is not None:
                data["event_from_user"] = context.user
            if context.chat is not None:
                data["event_chat"] = context.chat
            logger.info("NUL bytes taken out of update %s", event.update_id)
        return await handler(event, data)


def _read_as_a_number(text: str) -> bool:
    """A command (its arguments hold ids) or a message that is only a number ("#12")."""
    return text.startswith("/") or text.strip().lstrip("#").lstrip("-").isdigit()


class ImpossibleNumberMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = event.message if isinstance(event, Update) else None
        text = message.text if message is not None else None
        if message is not None and text and _read_as_a_number(text) and out_of_range(text):
            logger.info("command with an impossible number answered")
            await message.answer(
                _(
                    "I don't know that number: it is too big to be a Samenspel number. "
                    "Check that you copied it correctly."
                )
            )
            return None
        return await handler(event, data)
