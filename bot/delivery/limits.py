"""Telegram's rate limits as token buckets: overall, per private chat and per group.

Each bucket hands out send times in order (no thundering herd): a caller reserves the next free
slot and sleeps until then. A 429 pushes a bucket's next slot back by Telegram's retry_after.
An overall slot woken up for too late is given up for a new one (`use_overall_slot`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

Sleep = Callable[[float], Awaitable[None]]

# An overall slot used more than this after its time is given up for the next free one. A
# process held up for a moment (a busy event loop, a pause of the cycle collector) would
# otherwise send the messages of every slot it slept past at once, beside the other processes'
# messages sent on time, and go over Telegram's limit within that second: at 25 a second, slots
# used within 0.1 s of their time put at most 28 messages in any second.
LATE_SLOT_SECONDS = 0.1
# How many late slots one message gives up: a process slow for a long while still sends.
LATE_SLOTS_GIVEN_UP = 2


async def use_overall_slot(
    reserve: Callable[[], Awaitable[float]],
    *,
    sleep: Sleep,
    monotonic: Callable[[], float],
    reserve_again: Callable[[], Awaitable[float]] | None = None,
) -> None:
    """Sleep until the slot `reserve` took (it returns the seconds to wait); when woken up too
    late for it, take the next free overall slot with `reserve_again` (by default `reserve`)
    instead."""
    take = reserve
    for _ in range(LATE_SLOTS_GIVEN_UP + 1):
        asked = monotonic()
        due = asked + await take()
        wait = due - monotonic()
        if wait > 0:
            await sleep(wait)
        if monotonic() - due <= LATE_SLOT_SECONDS:
            return
        take = reserve_again or reserve


class TokenBucket:
    """`rate` tokens per second, up to `burst` at once (a GCRA: one "theoretical arrival time")."""

    def __init__(
        self, rate: float, burst: float = 1.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self._monotonic = monotonic
        self._arrival = 0.0

    def reserve(self) -> float:
        """Reserve the next slot; returns how many seconds to wait before using it."""
        now = self._monotonic()
        arrival = max(self._arrival, now)
        self._arrival = arrival + self.interval
        return max(0.0, arrival - self.tolerance - now)

    def wait_time(self) -> float:
        """How long a reservation made now would wait, without reserving."""
        now = self._monotonic()
        return max(0.0, max(self._arrival, now) - self.tolerance - now)

    def pause(self, seconds: float) -> None:
        """Nothing goes out for `seconds` from now (Telegram said "retry after")."""
        self._arrival = max(self._arrival, self._monotonic() + seconds + self.tolerance)


@dataclass(frozen=True, slots=True)
class Limits:
    overall_per_second: float = 25.0
    private_chat_per_second: float = 1.0
    group_per_minute: float = 20.0


class SendLimiter(Protocol):
    """What the sender needs of a rate limiter: this process's own (`RateLimiter`) or one
    shared by every process through Redis (`shared_limits.SharedRateLimiter`)."""

    limits: Limits

    async def overall_wait(self) -> float: ...

    async def wait_for_chat(self, chat_id: int) -> float: ...

    async def acquire(self, chat_id: int) -> None: ...

    async def pause(self, chat_id: int, seconds: float) -> None: ...


class RateLimiter:
    """The overall bucket plus one bucket per chat (private chats have positive ids), for one
    process."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self._monotonic = monotonic
        self._sleep = sleep
        self.overall = TokenBucket(self.limits.overall_per_second, burst=1.0, monotonic=monotonic)
        self._chats: dict[int, TokenBucket] = {}

    def chat(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if chat_id > 0:
                bucket = TokenBucket(self.limits.private_chat_per_second, monotonic=self._monotonic)
            else:
                rate = self.limits.group_per_minute / 60.0
                bucket = TokenBucket(rate, burst=3.0, monotonic=self._monotonic)
            self._chats[chat_id] = bucket
            if len(self._chats) > 50_000:
                self._forget_idle()
        return bucket

    def chat_wait(self, chat_id: int) -> float:
        return self.chat(chat_id).wait_time()

    async def overall_wait(self) -> float:
        return self.overall.wait_time()

    async def wait_for_chat(self, chat_id: int) -> float:
        return self.chat_wait(chat_id)

    async def pause(self, chat_id: int, seconds: float) -> None:
        self.retry_after(chat_id, seconds)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` may go out: first the chat's turn, then overall."""
        await self._sleep_if_needed(self.chat(chat_id).reserve())
        await use_overall_slot(self._reserve_overall, sleep=self._sleep, monotonic=self._monotonic)

    async def _reserve_overall(self) -> float:
        return self.overall.reserve()

    def retry_after(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429: that chat, and everything (the limit is the bot's), waits."""
        self.chat(chat_id).pause(seconds)
        self.overall.pause(seconds)

    async def _sleep_if_needed(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    def _forget_idle(self) -> None:
        idle = [chat for chat, bucket in self._chats.items() if bucket.wait_time() == 0.0]
        for chat in idle:
            del self._chats[chat]
