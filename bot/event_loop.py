"""The event loop every command of the bot runs on.

uvloop (a dependency wherever it is available: Linux and macOS) runs the same coroutines as
asyncio's own loop with less CPU per network round trip, and an update makes several (the
database, Redis, Telegram). `EVENT_LOOP=asyncio` chooses asyncio's own loop, for instance to
rule the loop out while chasing a problem; where uvloop is not installed, that is the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
LoopChoice = Literal["uvloop", "asyncio"]


def loop_factory(choice: LoopChoice = "uvloop") -> Callable[[], asyncio.AbstractEventLoop] | None:
    """What makes the loop: uvloop's when chosen and installed, else None (asyncio's own)."""
    if choice != "uvloop":
        return None
    try:
        import uvloop
    except ImportError:
        logger.info("uvloop is not installed here; running on asyncio's own event loop")
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: LoopChoice = "uvloop") -> T:
    """Runs `main` to the end on the chosen loop, as `asyncio.run` does."""
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)
