"""The registry of `/start <payload>` deep links that features plug into.

A feature registers a prefix (`e_` for an event, `i_` for an initiative, …) and a coroutine that
opens what the link points at. Payloads are limited by Telegram to 64 characters of A-Z, a-z,
0-9, _ and -.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram.types import Message

from bot.handler_data import HandlerData

DeepLinkOpener = Callable[[Message, str, HandlerData], Awaitable[bool | str]]
"""Opens a deep link: (message, argument after the prefix, handler data) → True when it showed
what the link points at; False when it said nothing (the link is unknown); or a sentence saying
why this link doesn't work (any more). /start then answers once: that sentence, or a general
one, above the welcome and the menu."""

_OPENERS: dict[str, DeepLinkOpener] = {}


def deep_link(prefix: str) -> Callable[[DeepLinkOpener], DeepLinkOpener]:
    """Register the decorated coroutine as the opener of payloads starting with `prefix`."""

    def register(opener: DeepLinkOpener) -> DeepLinkOpener:
        if prefix in _OPENERS and _OPENERS[prefix] is not opener:
            raise ValueError(f"deep link prefix {prefix!r} registered twice")
        _OPENERS[prefix] = opener
        return opener

    return register


def find_opener(payload: str) -> tuple[DeepLinkOpener, str] | None:
    """The opener for a payload and the argument after its prefix (longest prefix wins)."""
    for prefix in sorted(_OPENERS, key=len, reverse=True):
        if payload.startswith(prefix):
            return _OPENERS[prefix], payload[len(prefix) :]
    return None
