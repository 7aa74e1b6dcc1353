"""One rate limit for every process: the token buckets of `limits.py` kept in Redis.

Several processes each running a sender must together stay within Telegram's ~30 messages a
second, and within one message a second per chat. Each reservation is one Lua script, run
atomically by Redis on its own clock (`TIME`), so the processes agree on "now" too: it takes the
chat's next slot, then the next overall slot no earlier than that, and says how long to wait.
A process woken up too late for its overall slot takes the next free one instead
(`limits.use_overall_slot`), and every process claims the moment it sends in one window of the
last second (`limits.SendWindow`, here a sorted set on Redis's clock).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

from bot.delivery.limits import (
    Limits,
    Ready,
    Sleep,
    claim_send_moment,
    messages_per_window,
    use_overall_slot,
)

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# A bucket in Redis: its "theoretical arrival time", kept a minute past it.
_BUCKET = (
    _NOW
    + """
local function tat_of(key)
  return tonumber(redis.call('GET', key) or '0')
end
local function keep(key, tat)
  redis.call('SET', key, tostring(tat), 'PX', math.ceil((tat - now + 60) * 1000))
end
-- The bucket's next slot no earlier than `earliest`, taken; returns its arrival time.
local function take_slot(key, interval, earliest)
  local arrival = math.max(tat_of(key), earliest)
  keep(key, arrival + interval)
  return arrival
end
"""
)

# KEYS: chat bucket, overall bucket. ARGV: chat interval, chat tolerance, overall interval,
# overall tolerance. Returns the seconds to wait (as text: Redis would cut a number to an int).
_RESERVE = (
    _BUCKET
    + """
local chat_arrival = take_slot(KEYS[1], tonumber(ARGV[1]), now)
local chat_at = math.max(now, chat_arrival - tonumber(ARGV[2]))
local all_arrival = take_slot(KEYS[2], tonumber(ARGV[3]), chat_at)
return tostring(math.max(0, all_arrival - tonumber(ARGV[4]) - now))
"""
)

# KEYS: overall bucket. ARGV: its interval and tolerance. Its next slot alone (in place of one
# woken up for too late: the chat's turn was taken with the first).
_RESERVE_OVERALL = (
    _BUCKET
    + """
local arrival = take_slot(KEYS[1], tonumber(ARGV[1]), now)
return tostring(math.max(0, arrival - tonumber(ARGV[2]) - now))
"""
)

# KEYS: the send window (a sorted set of moments). ARGV: how many moments it holds, a name for
# this one. Takes the present as a send moment, or finds the seconds until the oldest moment has
# left the last second (see `limits.SendWindow`). Returns those seconds ('0' when it took the
# moment) and the present.
_CLAIM = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return {'0', tostring(now)}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {tostring(tonumber(oldest[2]) + 1 - now), tostring(now)}
"""
)

# KEYS: one bucket. ARGV: its tolerance. How long a reservation made now would wait.
_WAIT = (
    _BUCKET
    + """
return tostring(math.max(0, math.max(tat_of(KEYS[1]), now) - tonumber(ARGV[1]) - now))
"""
)

# KEYS: buckets. ARGV: seconds, then each bucket's tolerance. Nothing goes out for `seconds`.
_PAUSE = (
    _BUCKET
    + """
for i, key in ipairs(KEYS) do
  keep(key, math.max(tat_of(key), now + tonumber(ARGV[1]) + tonumber(ARGV[i + 1])))
end
return 'ok'
"""
)


class _Bucket:
    """Interval and tolerance of a GCRA bucket (see `limits.TokenBucket`)."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval


class SharedRateLimiter:
    """The same limits as `RateLimiter`, shared through Redis by every process."""

    def __init__(
        self,
        redis: Any,
        limits: Limits | None = None,
        *,
        prefix: str = "samenspel:rate",
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits or Limits()
        self._redis = redis
        self._prefix = prefix
        self._sleep = sleep
        self._monotonic = monotonic
        self._overall = _Bucket(self.limits.overall_per_second)
        self._private = _Bucket(self.limits.private_chat_per_second)
        self._group = _Bucket(self.limits.group_per_minute / 60.0, burst=3.0)
        self._reserve = redis.register_script(_RESERVE)
        self._reserve_overall = redis.register_script(_RESERVE_OVERALL)
        self._window_size = messages_per_window(self.limits)
        self._claim = redis.register_script(_CLAIM)
        self._wait = redis.register_script(_WAIT)
        self._pause = redis.register_script(_PAUSE)

    def _chat(self, chat_id: int) -> tuple[str, _Bucket]:
        bucket = self._private if chat_id > 0 else self._group
        return f"{self._prefix}:chat:{chat_id}", bucket

    @property
    def _all(self) -> str:
        return f"{self._prefix}:all"

    async def overall_wait(self) -> float:
        return float(await self._wait(keys=[self._all], args=[self._overall.tolerance]))

    async def wait_for_chat(self, chat_id: int) -> float:
        key, bucket = self._chat(chat_id)
        return float(await self._wait(keys=[key], args=[bucket.tolerance]))

    async def acquire(self, chat_id: int, ready: Ready | None = None) -> float | None:
        """Wait until a message to `chat_id` may go out, in every process's reckoning. Returns
        the moment claimed in the shared send window (Redis's clock); None when `ready`, asked
        once the turn has come, says the message no longer goes (see `RateLimiter.acquire`)."""
        key, bucket = self._chat(chat_id)
        args = [bucket.interval, bucket.tolerance, self._overall.interval, self._overall.tolerance]

        async def chat_and_overall() -> float:
            return float(await self._reserve(keys=[key, self._all], args=args))

        async def overall_again() -> float:
            again = [self._overall.interval, self._overall.tolerance]
            return float(await self._reserve_overall(keys=[self._all], args=again))

        await use_overall_slot(
            chat_and_overall,
            sleep=self._sleep,
            monotonic=self._monotonic,
            reserve_again=overall_again,
        )
        if ready is not None and not await ready():
            return None
        moment = uuid.uuid4().hex

        async def claim() -> tuple[float, float]:
            wait, now = await self._claim(
                keys=[f"{self._all}:sent"], args=[self._window_size, moment]
            )
            return float(wait), float(now)

        return await claim_send_moment(claim, sleep=self._sleep)

    async def pause(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429: that chat, and every process's overall bucket, wait."""
        key, bucket = self._chat(chat_id)
        await self._pause(
            keys=[key, self._all], args=[seconds, bucket.tolerance, self._overall.tolerance]
        )
