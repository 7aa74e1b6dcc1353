"""A strict FIFO Bot API session for tests: every call the bot makes is queued, and a test must
take each one off the queue and check it. A call left over fails the test (see conftest).
Like Telegram, it refuses a message beyond its limits (text, caption, buttons, callback data),
so every test of the suite also checks that what the bot sends fits."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncGenerator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import Chat, Document, InlineKeyboardMarkup, Message, PhotoSize, User
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from bot.paging import method_problems
from storage.repositories import Repo

BOT_USER = User(id=42, is_bot=True, first_name="Samenspel", username="samenspel_test_bot")
M = TypeVar("M", bound=TelegramMethod[Any])

# The repositories of the update being handled (see `watching_update_sessions` in conftest):
# nothing may ask Telegram while their session holds a connection, since a process has a fixed
# number of them (`storage.engine.POOL_SIZE`) and Telegram may take seconds to answer.
UPDATE_REPO: ContextVar[Repo | None] = ContextVar("update_repo", default=None)
_HOLDS_CONNECTION = "tests_holds_connection"


@event.listens_for(Session, "after_begin")
def _connection_taken(session: Session, _transaction: SessionTransaction, _connection: Any) -> None:
    session.info[_HOLDS_CONNECTION] = True


@event.listens_for(Session, "after_transaction_end")
def _connection_given_back(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HOLDS_CONNECTION, None)


def update_holds_connection() -> bool:
    """Whether the session of the update being handled holds a database connection now."""
    repo = UPDATE_REPO.get()
    session = repo.opened_session if repo is not None else None
    return session is not None and bool(session.sync_session.info.get(_HOLDS_CONNECTION))


class MockedBotAPI(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: deque[TelegramMethod[Any]] = deque()
        self.results: deque[Any] = deque()
        self.chat_results: dict[int, deque[Any]] = {}
        self._message_ids = itertools.count(10_000)
        self.refused: list[tuple[TelegramMethod[Any], list[str]]] = []
        # Calls made while the update's session held a database connection (each a failure).
        self.made_holding_a_connection: list[TelegramMethod[Any]] = []

    def will_return(self, result: Any) -> None:
        """The next call gets `result` (an exception instance is raised instead)."""
        self.results.append(result)

    def will_return_for(self, chat_id: int, result: Any) -> None:
        """The next call addressed to `chat_id` gets `result` (an exception is raised)."""
        self.chat_results.setdefault(chat_id, deque()).append(result)

    def take(self, kind: type[M]) -> M:
        """The oldest call the bot made, which must be of the given kind."""
        assert self.calls, f"expected a {kind.__name__} call, but the bot made no more calls"
        call = self.calls.popleft()
        assert isinstance(call, kind), f"expected {kind.__name__}, the bot called {call!r}"
        return call

    def take_all(self) -> list[TelegramMethod[Any]]:
        calls = list(self.calls)
        self.calls.clear()
        return calls

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.calls.append(method)
        if update_holds_connection():
            self.made_holding_a_connection.append(method)
        problems = method_problems(method)
        if problems:
            self.refused.append((method, problems))
            raise TelegramBadRequest(method=method, message=f"Bad Request: {'; '.join(problems)}")
        queued = self.chat_results.get(_chat_of(method))
        if queued:
            result = queued.popleft()
        elif self.results:
            result = self.results.popleft()
        else:
            return self._default_result(method)
        if isinstance(result, BaseException):
            raise result
        return result

    def _default_result(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            return self._message(method)
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            markup = (
                method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None
            )
            return Message(
                message_id=method.message_id or 1,
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id or 0), type="private"),
                from_user=BOT_USER,
                text=getattr(method, "text", None),
                reply_markup=markup,
            )
        return True

    def _message(self, method: SendMessage | SendDocument | SendPhoto) -> Message:
        markup = (
            method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        )
        extra: dict[str, Any] = {}
        if isinstance(method, SendDocument):
            extra["document"] = Document(file_id="doc", file_unique_id="doc")
        if isinstance(method, SendPhoto):
            extra["photo"] = [PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=Chat(id=int(method.chat_id), type="private"),
            from_user=BOT_USER,
            text=method.text if isinstance(method, SendMessage) else None,
            caption=getattr(method, "caption", None),
            reply_markup=markup,
            **extra,
        )


def _chat_of(method: TelegramMethod[Any]) -> int:
    chat_id = getattr(method, "chat_id", None)
    return (
        int(chat_id) if isinstance(chat_id, int | str) and str(chat_id).lstrip("-").isdigit() else 0
    )


def button_rows(markup: Any) -> list[list[str]]:
    """The labels of a keyboard, row by row, as a user sees them."""
    rows = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else markup.keyboard
    return [[button if isinstance(button, str) else button.text for button in row] for row in rows]
