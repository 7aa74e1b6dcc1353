"""Token buckets: Telegram's overall, per-chat and per-group limits, and retry_after."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.config import Settings
from bot.delivery.limits import Limits, RateLimiter, SendWindow, TokenBucket
from bot.delivery.policy import retry_delay
from bot.quiet_hours import quiet_hours_end
from tests.delivery_helpers import most_in_one_second


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_bucket_paces_at_its_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=2.0, monotonic=time.monotonic)
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.5, 1.0, 1.5]


async def test_one_private_chat_gets_at_most_one_message_a_second() -> None:
    time = FakeTime()
    limiter = RateLimiter(
        Limits(overall_per_second=100), monotonic=time.monotonic, sleep=time.sleep
    )
    for _ in range(3):
        await limiter.acquire(5)
    assert time.now == 2.0


async def test_a_group_gets_at_most_twenty_a_minute_after_a_small_burst() -> None:
    time = FakeTime()
    limiter = RateLimiter(
        Limits(overall_per_second=100), monotonic=time.monotonic, sleep=time.sleep
    )
    for _ in range(23):
        await limiter.acquire(-100)
    # 3 at once, then one every 3 seconds: 20 more take 60 seconds.
    assert time.now == 60.0


async def test_overall_limit_spreads_messages_to_many_chats() -> None:
    time = FakeTime()
    limiter = RateLimiter(Limits(overall_per_second=25), monotonic=time.monotonic, sleep=time.sleep)
    for chat in range(1, 51):
        await limiter.acquire(chat)
    assert abs(time.now - 49 / 25) < 1e-9


async def test_retry_after_pauses_that_chat_and_everything() -> None:
    time = FakeTime()
    limiter = RateLimiter(Limits(overall_per_second=25), monotonic=time.monotonic, sleep=time.sleep)
    await limiter.acquire(1)
    limiter.retry_after(1, 7)
    assert limiter.chat_wait(1) == 7.0
    await limiter.acquire(2)
    assert time.now == 7.0


class HeldUpTime(FakeTime):
    """A process held up once: one sleep ends `late` seconds after it should have."""

    def __init__(self, late: float) -> None:
        super().__init__()
        self.late = late

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        self.now += self.late
        self.late = 0.0


async def _sent_at(late: float, messages: int) -> list[float]:
    """When each of `messages` messages to different chats goes out at 10 a second, the sender
    held up `late` seconds once."""
    time = HeldUpTime(late)
    limiter = RateLimiter(Limits(overall_per_second=10), monotonic=time.monotonic, sleep=time.sleep)
    sent = []
    for chat in range(1, messages + 1):
        await limiter.acquire(chat)
        sent.append(round(time.now, 3))
    return sent


async def test_a_slot_slept_past_is_given_up_so_no_two_messages_go_out_at_once() -> None:
    """Held up past its slot, a sender takes the next free slot instead of sending beside the
    message of the slot after it: messages stay the overall interval apart."""
    # The second slot (0.1) was slept past until 0.45: that message takes 0.45 itself, and the
    # slots in between (0.2, 0.3, 0.4) are not used afterwards.
    assert await _sent_at(late=0.35, messages=5) == [0.0, 0.45, 0.55, 0.65, 0.75]


async def test_a_slot_used_a_little_late_is_kept() -> None:
    assert await _sent_at(late=0.05, messages=3) == [0.0, 0.15, 0.2]


async def test_a_sender_held_up_again_and_again_still_sends() -> None:
    """Other senders take the slots while this one sleeps, and it wakes up late every time: it
    gives up two slots, then sends with the third."""
    limiter: RateLimiter

    class AlwaysLate(FakeTime):
        async def sleep(self, seconds: float) -> None:
            for _ in range(5):
                limiter.overall.reserve()
            await super().sleep(seconds + 0.5)

    time = AlwaysLate()
    limiter = RateLimiter(Limits(overall_per_second=10), monotonic=time.monotonic, sleep=time.sleep)
    await limiter.acquire(1)
    await limiter.acquire(2)
    assert len(time.slept) == 3


def test_the_send_window_holds_the_limit_in_any_second() -> None:
    window = SendWindow(limit=3)
    assert [window.claim(now) for now in (0.0, 0.1, 0.2)] == [0.0, 0.0, 0.0]
    assert window.claim(0.5) == 0.5  # full until the moment of 0.0 has left the second
    assert window.claim(1.0) == 0.0
    assert round(window.claim(1.05), 3) == 0.05


async def test_slots_used_a_little_late_never_crowd_a_second_past_the_limit() -> None:
    """Forty messages at 20 a second; the event loop was held up so that the first twenty woke a
    little late for their slots (not so late that they were given up), the rest on time. The
    late ones and the first on-time ones would have gone out in one second: 22 of them."""
    sleeps = 0

    async def held_up_at_first(seconds: float) -> None:
        nonlocal sleeps
        sleeps += 1
        await asyncio.sleep(seconds + (0.07 if sleeps <= 20 else 0.0))

    limiter = RateLimiter(Limits(overall_per_second=20), sleep=held_up_at_first)
    sent: list[float] = []

    async def send(chat: int) -> None:
        sent.append(await limiter.acquire(chat))

    await asyncio.gather(*(send(chat) for chat in range(1, 41)))
    assert most_in_one_second(sent) <= 20


def test_quiet_hours_run_from_ten_at_night_to_eight_in_the_morning() -> None:
    tz = Settings(_env_file=None).tz  # type: ignore[call-arg]
    assert quiet_hours_end(datetime(2026, 7, 1, 19, 59, tzinfo=UTC), tz) is None  # 21:59 summer
    assert quiet_hours_end(datetime(2026, 7, 1, 20, 0, tzinfo=UTC), tz) == datetime(
        2026, 7, 2, 6, 0, tzinfo=UTC
    )
    assert quiet_hours_end(datetime(2026, 1, 5, 5, 0, tzinfo=UTC), tz) == datetime(
        2026, 1, 5, 7, 0, tzinfo=UTC
    )
    assert quiet_hours_end(datetime(2026, 1, 5, 7, 0, tzinfo=UTC), tz) is None  # 08:00 winter


def test_retries_back_off() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 6)] == [
        5,
        20,
        80,
        320,
        900,
        900,
    ]


async def test_a_message_that_no_longer_goes_claims_no_moment_in_the_window() -> None:
    """`ready` is asked once the turn has come, before the moment is claimed; when it says no,
    nothing is claimed, and the window keeps its room for the next message that does go."""
    time = FakeTime()
    limiter = RateLimiter(Limits(overall_per_second=10), monotonic=time.monotonic, sleep=time.sleep)
    limiter.window = SendWindow(limit=1)  # one message in any second

    async def no_longer() -> bool:
        return False

    async def still() -> bool:
        return True

    assert await limiter.acquire(1, ready=no_longer) is None
    moment = await limiter.acquire(2, ready=still)
    assert moment is not None and round(moment, 3) == 0.1  # its own slot, not a second later
