"""One limit across processes: three senders' limiters share their buckets through Redis, so
together they stay within the overall limit and within one message a second per chat, and a
429 seen by one process holds back all of them. Needs Redis (TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.delivery.limits import Limits
from bot.delivery.shared_limits import SharedRateLimiter
from tests.conftest import REDIS_URL
from tests.delivery_helpers import most_in_one_second

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (TEST_REDIS_URL)")


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    from redis.asyncio import Redis

    client = Redis.from_url(str(REDIS_URL))
    yield client
    await client.aclose()


def _processes(redis: Any, limits: Limits, n: int = 3) -> list[SharedRateLimiter]:
    prefix = f"test:rate:{uuid.uuid4().hex}"  # this test's own buckets
    return [SharedRateLimiter(redis, limits, prefix=prefix) for _ in range(n)]


def _late_and_on_time(
    redis: Any, *, per_second: float, late_by: float
) -> tuple[SharedRateLimiter, SharedRateLimiter]:
    """Two processes sharing one limit: the first wakes up `late_by` seconds late from every
    sleep, the second on time."""
    prefix = f"test:rate:{uuid.uuid4().hex}"
    limits = Limits(overall_per_second=per_second)

    async def held_up(seconds: float) -> None:
        await asyncio.sleep(seconds + late_by)

    late = SharedRateLimiter(redis, limits, prefix=prefix, sleep=held_up)
    return late, SharedRateLimiter(redis, limits, prefix=prefix)


async def test_three_processes_together_stay_within_the_overall_limit(redis: Any) -> None:
    limiters = _processes(redis, Limits(overall_per_second=20))
    sent: list[float] = []

    async def send(limiter: SharedRateLimiter, chat: int) -> None:
        sent.append(await limiter.acquire(chat))

    start = time.monotonic()
    await asyncio.gather(
        *(send(limiters[n % 3], 10_000 + n) for n in range(60))  # 60 chats, 3 processes
    )
    elapsed = time.monotonic() - start
    # 60 messages at 20/s: the last may go out after 59/20 s, not before.
    assert elapsed >= 59 / 20 - 0.1
    assert elapsed < 59 / 20 + 1.0  # and the limit is used, not wasted
    assert most_in_one_second(sent) <= 20


async def test_a_process_a_little_late_for_its_slots_cannot_crowd_a_second(redis: Any) -> None:
    """One process took the first twenty slots at 20 a second and woke a little late for each
    (not so late that they were given up); another sends the next twenty on time. Together they
    would have put 22 messages in one second."""
    late, on_time = _late_and_on_time(redis, per_second=20, late_by=0.07)
    sent: list[float] = []

    async def send(limiter: SharedRateLimiter, chat: int) -> None:
        sent.append(await limiter.acquire(chat))

    first = [asyncio.create_task(send(late, chat)) for chat in range(1, 21)]
    await asyncio.sleep(0.02)  # their slots are taken
    await asyncio.gather(*first, *(send(on_time, chat) for chat in range(21, 41)))
    assert most_in_one_second(sent) <= 20


async def test_one_chat_gets_one_message_a_second_whichever_process_sends(redis: Any) -> None:
    limiters = _processes(redis, Limits(overall_per_second=100))
    start = time.monotonic()
    await asyncio.gather(*(limiter.acquire(4242) for limiter in limiters))
    assert time.monotonic() - start >= 1.9


async def test_a_429_in_one_process_holds_back_the_others(redis: Any) -> None:
    first, second, _third = _processes(redis, Limits(overall_per_second=100))
    await first.pause(77, 1.5)
    assert 1.3 < await second.overall_wait() <= 1.5
    assert 1.3 < await second.wait_for_chat(77) <= 1.5
    start = time.monotonic()
    await second.acquire(78)
    assert time.monotonic() - start >= 1.3


async def test_a_process_held_up_past_its_slot_takes_a_new_one(redis: Any) -> None:
    """One process sleeps past its slot (held up for 0.35 s) while another sends on time: the
    late one takes the next free slot instead of sending beside the other's next message."""
    late, on_time = _late_and_on_time(redis, per_second=10, late_by=0.35)
    sent: list[tuple[float, str]] = []

    async def send(limiter: SharedRateLimiter, chat: int, name: str) -> None:
        sent.append((await limiter.acquire(chat), name))

    async def steady() -> None:
        for chat in range(1, 6):
            await send(on_time, chat, "on time")

    await send(on_time, 100, "first")
    await asyncio.gather(send(late, 200, "late"), steady())
    at = {name: moment for moment, name in sent}
    # Its slot was 0.1 s after the first message; woken up at 0.45 s, it takes the next free slot
    # (0.6 s or later) instead of sending there and then, between two of the others' messages.
    assert at["late"] - at["first"] >= 0.55, sent


async def test_a_message_that_no_longer_goes_claims_no_moment_in_the_shared_window(
    redis: Any,
) -> None:
    """`ready` is asked once the turn has come; when it says no, nothing is claimed in the
    window that every process shares, so the limit is not spent on a message never sent."""
    (limiter,) = _processes(redis, Limits(overall_per_second=20), n=1)
    asked: list[int] = []

    async def no_longer(chat: int) -> bool:
        asked.append(chat)
        return False

    assert await limiter.acquire(71, ready=lambda: no_longer(71)) is None
    window = f"{limiter._all}:sent"
    assert asked == [71] and await redis.zcard(window) == 0

    async def still() -> bool:
        return True

    assert await limiter.acquire(72, ready=still) is not None
    assert await redis.zcard(window) == 1
