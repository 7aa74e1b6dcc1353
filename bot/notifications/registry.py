"""Kinds of messages the delivery engine can send, and how each is rendered at send time.

A feature registers a kind with `@message_kind("event.reminder", …)` on a renderer. The sender
renders a due outbox row in the recipient's language of that moment (`_()` works inside a
renderer) from the row's `params`. A renderer returns None when there is nothing useful to say
any more (the event was deleted, …): the row is then marked skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.config import Settings
from storage.models import User
from storage.repositories import Repo


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a recipient sees: HTML text and optional inline buttons."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class RenderContext:
    repo: Repo
    recipient: User | None  # None for a group chat
    locale: str
    now: datetime
    settings: Settings
    bot: Bot | None = None  # for messages that carry a link into the bot


# A renderer takes the parameters of its kind, a TypedDict of `bot.services.message_params`.
Renderer = Callable[[RenderContext, Any], Awaitable[Rendered | None]]
StillUseful = Callable[[Any, datetime], bool]


@dataclass(frozen=True, slots=True)
class MessageKind:
    name: str
    render: Renderer
    # Urgent kinds ignore quiet hours (22:00–08:00 local time); the rest wait until morning.
    urgent: bool = False
    # Essential kinds are still tried for people who blocked the bot; the rest are skipped.
    essential: bool = False
    # How late a message may still go out after it came due (after downtime); None: any time.
    grace: timedelta | None = None
    # An extra check at send time, e.g. "the event has not started yet".
    still_useful: StillUseful | None = None


_KINDS: dict[str, MessageKind] = {}


def message_kind(
    name: str,
    *,
    urgent: bool = False,
    essential: bool = False,
    grace: timedelta | None = None,
    still_useful: StillUseful | None = None,
) -> Callable[[Renderer], Renderer]:
    """Register the decorated coroutine as the renderer of messages of kind `name`."""

    def register(render: Renderer) -> Renderer:
        _KINDS[name] = MessageKind(name, render, urgent, essential, grace, still_useful)
        return render

    return register


def get_kind(name: str) -> MessageKind | None:
    return _KINDS.get(name)


def registered_kinds() -> tuple[str, ...]:
    return tuple(sorted(_KINDS))
