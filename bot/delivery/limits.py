"""Telegram's rate limits as token buckets: overall, per private chat and per group.

Each bucket hands out send times in order (no thundering herd): a caller reserves the next free
slot and sleeps until then. A 429 pushes a bucket's next slot back by Telegram's retry_after.
An overall slot woken up for too late is given up for a new one (`use_overall_slot`), and the
moment a message really goes out is claimed in a window of the last second (`SendWindow`), which
never holds more than the overall limit: slots keep the messages apart, the window is the promise.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

Sleep = Callable[[float], Awaitable[None]]
# Asked once a message's turn has come, before its send moment is claimed: whether it still goes.
Ready = Callable[[], Awaitable[bool]]

# An overall slot used more than this after its time is given up for the next free one. A
# process held up for a moment (a busy event loop, a pause of the cycle collector) would
# otherwise send the messages of every slot it slept past at once, beside the other processes'
# messages sent on time. Slots used a little late can still crowd a second; the send window
# (`SendWindow`) holds them to the limit.
LATE_SLOT_SECONDS = 0.1
# How many late slots one message gives up: a process slow for a long while still sends.
LATE_SLOTS_GIVEN_UP = 2
# A claim refused by a full window waits this much longer than the window says, so it does not
# ask again a hair before the oldest moment leaves it.
WINDOW_MARGIN_SECONDS = 0.001


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


async def claim_send_moment(
    claim: Callable[[], Awaitable[tuple[float, float]]], *, sleep: Sleep
) -> float:
    """Wait until `claim` takes the present as a send moment, and return that moment. `claim`
    returns the seconds to wait (0.0 when it took the moment) and the moment it looked at."""
    while True:
        wait, moment = await claim()
        if wait <= 0:
            return moment
        await sleep(wait + WINDOW_MARGIN_SECONDS)


def messages_per_window(limits: Limits) -> int:
    """How many messages may go out in any one second: the overall limit, whole."""
    return max(1, math.floor(limits.overall_per_second))


class SendWindow:
    """The moments messages went out in the last second, at most `limit` of them: in any second
    at most `limit` go out, however late a sender woke up for its slot."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._moments: deque[float] = deque()

    def claim(self, now: float) -> float:
        """Take `now` as a send moment and return 0.0, or, when `limit` moments fall in the
        second before it, return the seconds until the oldest of them has left that second."""
        moments = self._moments
        while moments and moments[0] <= now - 1.0:
            moments.popleft()
        if len(moments) < self.limit:
            moments.append(now)
            return 0.0
        return moments[0] + 1.0 - now


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

    async def acquire(self, chat_id: int, ready: Ready | None = None) -> float | None: ...

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
        self.window = SendWindow(messages_per_window(self.limits))
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

    async def acquire(self, chat_id: int, ready: Ready | None = None) -> float | None:
        """Wait until a message to `chat_id` may go out: first the chat's turn, then overall, then
        room in the send window. Returns the moment claimed in the window (`monotonic`).

        `ready`, when given, is asked once the turn has come: what must be checked just before
        sending is checked before the moment is claimed, not between the moment and the send.
        When it says no, nothing is claimed and None is returned."""
        await self._sleep_if_needed(self.chat(chat_id).reserve())
        await use_overall_slot(self._reserve_overall, sleep=self._sleep, monotonic=self._monotonic)
        if ready is not None and not await ready():
            return None
        return await claim_send_moment(self._claim_moment, sleep=self._sleep)

    async def _reserve_overall(self) -> float:
        return self.overall.reserve()

    async def _claim_moment(self) -> tuple[float, float]:
        now = self._monotonic()
        return self.window.claim(now), now

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
