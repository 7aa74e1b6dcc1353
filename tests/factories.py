"""Real aiogram objects for tests, with ids unique across the whole test run."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime
from typing import Any

from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    Update,
    User,
)

_ids = itertools.count(1_000_000)
# Update ids are remembered in Redis (to handle each update once), also across test runs.
_update_ids = itertools.count(int(time.time() * 1000) % 10**11 * 100)


def next_id() -> int:
    return next(_ids)


def make_user(
    *,
    language_code: str | None = "nl",
    first_name: str = "Anna",
    is_bot: bool = False,
    **extra: Any,
) -> User:
    return User(
        id=extra.pop("id", None) or next_id(),
        is_bot=is_bot,
        first_name=first_name,
        language_code=language_code,
        **extra,
    )


def private_chat(user: User) -> Chat:
    return Chat(id=user.id, type="private", first_name=user.first_name)


def make_message(
    user: User, text: str | None = None, *, chat: Chat | None = None, **extra: Any
) -> Message:
    return Message(
        message_id=next_id(),
        date=datetime.now(UTC),
        chat=chat or private_chat(user),
        from_user=user,
        text=text,
        **extra,
    )


def message_update(user: User, text: str | None = None, **extra: Any) -> Update:
    return Update(update_id=next(_update_ids), message=make_message(user, text, **extra))


def callback_update(user: User, data: str, message: Message | None = None) -> Update:
    return Update(
        update_id=next(_update_ids),
        callback_query=CallbackQuery(
            id=str(next_id()),
            from_user=user,
            chat_instance=str(user.id),
            message=message or make_message(user, "…"),
            data=data,
        ),
    )


def update_with(**event: Any) -> Update:
    return Update(update_id=next(_update_ids), **event)


def block_update(user: User, *, blocked: bool) -> Update:
    bot = User(id=42, is_bot=True, first_name="Samenspel")
    old = ChatMemberMember(user=bot) if blocked else ChatMemberBanned(user=bot, until_date=0)
    new = ChatMemberBanned(user=bot, until_date=0) if blocked else ChatMemberMember(user=bot)
    return update_with(
        my_chat_member=ChatMemberUpdated(
            chat=private_chat(user),
            from_user=user,
            date=datetime.now(UTC),
            old_chat_member=old,
            new_chat_member=new,
        )
    )
