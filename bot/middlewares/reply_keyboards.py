"""Reply keyboards that belong to one mode never outlive it, and their labels are never taken as
an answer somewhere else.

Two modes show a reply keyboard: search mode ("✖️ Stop searching", "📍 Share my location") and
the location step of an initiative ("⬅️ Back", "⏭ Skip", …). Such a keyboard stays on screen
until a message removes it, so:

- when a command or a menu button leaves the mode, the first plain message of that answer
  carries the removal of the keyboard (`ReplyKeyboardRequestMiddleware`);
- a tap on the label of a mode that is not the current one is answered "that button belongs to
  an earlier step", the keyboard goes away and nothing else happens (`StaleReplyButtonMiddleware`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove, TelegramObject

from bot.conversation.reply_keyboards import (
    ReplyKeyboardMode,
    answer_stale_reply_button,
    is_reply_button_label,
    mode_of,
)

# The chat whose reply keyboard the answer being made should take away.
_remove_keyboard_in: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "remove_keyboard_in", default=None
)


def _command(text: str) -> str | None:
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""


def _leaves(mode: ReplyKeyboardMode, event: TelegramObject) -> bool:
    """True when this update most likely takes the person out of the mode."""
    if isinstance(event, Message):
        command = _command(event.text or "")
        return command is not None and command not in mode.commands
    if isinstance(event, CallbackQuery):
        return (event.data or "").startswith("menu:")
    return False


class StaleReplyButtonMiddleware(BaseMiddleware):
    """Outer middleware for messages and callback queries (after the FSM context is known)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state = data.get("raw_state")
        mode = mode_of(state)
        if (
            isinstance(event, Message)
            and event.text
            and is_reply_button_label(event.text)
            and (mode is None or event.text not in mode.labels())
        ):
            await answer_stale_reply_button(event)
            return None
        if mode is None or not _leaves(mode, event):
            return await handler(event, data)
        chat = event.chat if isinstance(event, Message) else None
        if isinstance(event, CallbackQuery) and isinstance(event.message, Message):
            chat = event.message.chat
        token = _remove_keyboard_in.set(chat.id if chat is not None else None)
        try:
            return await handler(event, data)
        finally:
            _remove_keyboard_in.reset(token)


class ReplyKeyboardRequestMiddleware(BaseRequestMiddleware):
    """Adds the keyboard's removal to the first message without buttons of an answer that left
    a reply keyboard's mode."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = _remove_keyboard_in.get()
        if (
            chat_id is not None
            and isinstance(method, SendMessage)
            and method.reply_markup is None
            and method.chat_id == chat_id
        ):
            _remove_keyboard_in.set(None)
            removing = method.model_copy(update={"reply_markup": ReplyKeyboardRemove()})
            return await make_request(bot, cast(TelegramMethod[TelegramType], removing))
        return await make_request(bot, method)
