"""Filters run on the event loop, never in a thread.

aiogram calls a synchronous filter (`F.text == …`, a lambda, a plain function) through
`asyncio.to_thread`: a thread hop of 40–90 µs per filter, and a text update passes through
dozens of them. Filters here are cheap, pure checks of the update, so they are called directly
instead. Run once over the whole router tree after it is built; handlers are coroutines already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _on_the_loop(check: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    call.__wrapped__ = check  # type: ignore[attr-defined]
    return call


def unwrapped(callback: Any) -> Any:
    """The filter itself, also when it was made a direct call here."""
    return getattr(callback, "__wrapped__", callback)


def filters_of(router: Router) -> Iterator[FilterObject]:
    """Every filter of every handler and observer of the router and its sub-routers."""
    for observer in router.observers.values():
        yield from observer._handler.filters or []
        for handler in observer.handlers:
            yield from handler.filters or []
    for sub_router in router.sub_routers:
        yield from filters_of(sub_router)


def run_filters_on_the_loop(router: Router) -> int:
    """Make every synchronous filter of the tree a direct call; returns how many there were."""
    changed = 0
    for filter_object in filters_of(router):
        if not filter_object.awaitable:
            # The parameters aiogram passes were read from the original callback already.
            filter_object.callback = _on_the_loop(filter_object.callback)
            filter_object.awaitable = True
            changed += 1
    return changed
