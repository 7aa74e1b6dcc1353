"""Filters for what kind of message came in, each with a cheap check the router tree can use.

A filter here has `could_take(message, data)`: False only when no message like this one can
pass it. aiogram runs the filter as usual; `prechecks.skip_routers_nothing_fits` also asks
`could_take` before entering a router, so a command steps over the routers whose handlers all
want typed text, and a message that replies to nobody over those that want a reply to the bot.
A filter of another module can take part the same way by having a `could_take` of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.filters import Filter
from aiogram.types import Message


def is_command(message: Message) -> bool:
    """A text that starts with "/": a command, never an answer typed in a conversation."""
    return message.text is not None and message.text.startswith("/")


class _CheapFilter(Filter):
    """A filter that is its own cheap check."""

    def could_take(self, message: Message, data: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    async def __call__(self, message: Message) -> bool:
        return self.could_take(message, {})


class TypedText(_CheapFilter):
    """A message with text that is not a command: an answer, a query, a message to pass on."""

    def could_take(self, message: Message, data: Mapping[str, Any]) -> bool:
        return bool(message.text) and not is_command(message)


def bot_message_replied_to(message: Message) -> Message | None:
    """The bot's own message that `message` is a Telegram reply to; None when it replies to
    nothing, or to someone else."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    return replied


class ReplyToTheBot(_CheapFilter):
    """A Telegram reply to one of the bot's own messages."""

    def could_take(self, message: Message, data: Mapping[str, Any]) -> bool:
        return bot_message_replied_to(message) is not None
