"""A Bot API session that prints what the bot sends instead of calling Telegram."""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from typing import Any, TextIO

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendLocation,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
)

from bot.console.render import html_to_text, keyboard_lines

BOT_USER = User(id=1_000_000_001, is_bot=True, first_name="Samenspel", username="samenspel_bot")
Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup


class ConsoleSession(BaseSession):
    """Renders each outgoing method on `out` and remembers the latest keyboard per chat."""

    def __init__(self, out: TextIO, now: Callable[[], datetime], names: dict[int, str]) -> None:
        super().__init__()
        self.out = out
        self.now = now
        self.names = names
        self.current_chat: int | None = None
        self.message_ids = itertools.count(1)
        self.keyboards: dict[int, tuple[Message, Keyboard]] = {}
        self.last_messages: dict[int, Message] = {}

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover - the console never downloads files
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, SendMessage):
            return self._show(method.chat_id, method.text, method.reply_markup)
        if isinstance(method, EditMessageText):
            return self._edit(method.chat_id, method.message_id, method.text, method.reply_markup)
        if isinstance(method, EditMessageReplyMarkup):
            return self._edit(method.chat_id, method.message_id, None, method.reply_markup)
        if isinstance(method, AnswerCallbackQuery):
            if method.text:
                self._write(f"  · {method.text}")
            return True
        if isinstance(method, SendDocument | SendPhoto):
            kind = "document" if isinstance(method, SendDocument) else "photo"
            name = getattr(getattr(method, kind), "filename", None) or kind
            caption = f"\n{method.caption}" if method.caption else ""
            return self._show(method.chat_id, f"[{kind}: {name}]{caption}", method.reply_markup)
        if isinstance(method, SendLocation):
            text = f"[location: {method.latitude:.5f}, {method.longitude:.5f}]"
            return self._show(method.chat_id, text, method.reply_markup)
        return True  # menus, webhooks, chat actions: nothing to show in a terminal

    def _show(self, chat_id: int | str, text: str, markup: Any) -> Message:
        chat = int(chat_id)
        keyboard = (
            markup if isinstance(markup, InlineKeyboardMarkup | ReplyKeyboardMarkup) else None
        )
        message = Message(
            message_id=next(self.message_ids),
            date=self.now(),
            chat=Chat(id=chat, type="private"),
            from_user=BOT_USER,
            text=text,
            reply_markup=keyboard if isinstance(keyboard, InlineKeyboardMarkup) else None,
        )
        self.last_messages[chat] = message
        if keyboard is not None:
            self.keyboards[chat] = (message, keyboard)
        elif isinstance(markup, ReplyKeyboardRemove):
            self.keyboards.pop(chat, None)
        self._print(chat, text, keyboard)
        return message

    def _edit(
        self, chat_id: int | str | None, message_id: int | None, text: str | None, markup: Any
    ) -> Message | bool:
        if chat_id is None:
            return True
        chat = int(chat_id)
        keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
        shown, _ = self.keyboards.get(chat, (self.last_messages.get(chat), None))
        body = text if text is not None else (shown.text if shown and shown.text else "")
        message = Message(
            message_id=message_id or next(self.message_ids),
            date=self.now(),
            chat=Chat(id=chat, type="private"),
            from_user=BOT_USER,
            text=body,
            reply_markup=keyboard,
        )
        if keyboard is not None:
            self.keyboards[chat] = (message, keyboard)
        elif shown is not None and shown.message_id == message_id:
            self.keyboards.pop(chat, None)
        self._print(
            chat, f"(changed) {body}" if text is not None else "(buttons changed)", keyboard
        )
        return message

    def _print(self, chat: int, text: str, keyboard: Keyboard | None) -> None:
        lines = []
        if chat != self.current_chat:
            lines.append(f"[to {self.names.get(chat, str(chat))}]")
        lines.append(html_to_text(text))
        if keyboard is not None:
            lines.extend(keyboard_lines(keyboard))
        self._write("\n".join(lines) + "\n")

    def _write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()
