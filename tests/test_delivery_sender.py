"""The sender: due rows only, language at send time, 429/403/5xx, quiet hours, grace, leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import SendMessage
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.config import Settings
from bot.delivery import Sender
from bot.delivery.limits import Ready
from bot.delivery.policy import MAX_ATTEMPTS
from bot.i18n import CatalogI18n
from storage.engine import SessionPool
from storage.models import OutboxStatus
from storage.repositories import Repo
from tests.delivery_helpers import NOON, NoWaitLimiter, add_user, make_sender, schedule_note
from tests.mocked_bot import MockedBotAPI


def _send_error(kind: type[Exception], **extra: object) -> Exception:
    return kind(method=SendMessage(chat_id=1, text="x"), message="Error", **extra)  # type: ignore[call-arg]


async def _status(repo: Repo, key: str) -> tuple[str, int, str | None]:
    repo.session.expire_all()
    await repo.session.commit()
    row = await repo.outbox.by_key(key)
    assert row is not None
    return row.status, row.attempts, row.last_error


async def test_only_due_messages_go_out_in_the_language_of_sending_time(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    await add_user(repo, 601, language="nl")
    await schedule_note(repo, 601, 1, due_at=NOON - timedelta(minutes=1))
    await schedule_note(repo, 601, 2, due_at=NOON + timedelta(hours=2))
    user = await repo.users.get(601)
    assert user is not None
    async with repo.write():
        user.language = "en"  # chosen after scheduling: the message follows the person

    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()

    sent = bot_api.take(SendMessage)
    assert (sent.chat_id, sent.text) == (601, "Language changed. #1")
    assert not bot_api.calls
    assert await _status(repo, "note:601:1") == ("sent", 1, None)
    assert (await _status(repo, "note:601:2"))[0] == "pending"

    clock.advance(timedelta(hours=2))
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text == "Language changed. #2"


async def test_rate_limited_message_waits_retry_after_then_goes_out_once(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    await add_user(repo, 602)
    await schedule_note(repo, 602, 1, due_at=NOON)
    bot_api.will_return_for(602, _send_error(TelegramRetryAfter, retry_after=7))
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    await sender.run_until_idle()
    bot_api.take(SendMessage)
    status, attempts, error = await _status(repo, "note:602:1")
    assert (status, attempts, error) == ("pending", 0, "rate limited: 429")
    assert sender.stats.rate_limited == 1

    clock.advance(timedelta(seconds=6))
    await sender.run_until_idle()
    assert not bot_api.calls  # not before retry_after has passed

    clock.advance(timedelta(seconds=2))
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text == "Taal aangepast. #1"
    assert (await _status(repo, "note:602:1"))[0] == "sent"


async def test_blocked_user_is_marked_unreachable_and_others_still_get_theirs(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    for user_id in (603, 604):
        await add_user(repo, user_id)
        await schedule_note(repo, user_id, 1, due_at=NOON)
    bot_api.will_return_for(603, _send_error(TelegramForbiddenError))
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    await sender.run_until_idle()
    chats = sorted(int(bot_api.take(SendMessage).chat_id) for _ in range(2))
    assert chats == [603, 604]
    assert await _status(repo, "note:603:1") == ("failed", 1, "blocked: Error")
    assert (await _status(repo, "note:604:1"))[0] == "sent"
    blocked = await repo.users.get(603)
    assert blocked is not None and not blocked.is_reachable
    assert (sender.stats.sent, sender.stats.blocked) == (1, 1)

    # Non-essential messages are skipped while they are unreachable; essential ones are tried.
    await schedule_note(repo, 603, 2, due_at=NOON)
    await schedule_note(repo, 603, 3, due_at=NOON, kind="test.urgent")
    await sender.run_until_idle()
    assert await _status(repo, "note:603:2") == ("skipped", 1, "unreachable: blocked the bot")
    assert bot_api.take(SendMessage).text == "urgent #3"


async def test_server_errors_are_retried_with_backoff_then_fail(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    await add_user(repo, 605)
    await schedule_note(repo, 605, 1, due_at=NOON, kind="test.urgent")
    for _ in range(MAX_ATTEMPTS):
        bot_api.will_return_for(605, _send_error(TelegramServerError))
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    for attempt in range(1, MAX_ATTEMPTS + 1):
        await sender.run_until_idle()
        bot_api.take(SendMessage)
        status, attempts, error = await _status(repo, "note:605:1")
        assert attempts == attempt and error == "error: TelegramServerError"
        assert status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
        await sender.run_until_idle()
        assert not bot_api.calls  # backoff: not again straight away
        clock.advance(timedelta(minutes=16))
    assert sender.stats.failed == 1 and sender.stats.retried == MAX_ATTEMPTS - 1


async def test_quiet_hours_hold_non_urgent_messages_until_eight(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    night = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam
    clock.set(night)
    await add_user(repo, 606)
    await schedule_note(repo, 606, 1, due_at=night)
    await schedule_note(repo, 606, 2, due_at=night, kind="test.urgent")
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text == "urgent #2"
    assert not bot_api.calls
    row = await repo.outbox.by_key("note:606:1")
    assert row is not None and row.due_at == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # 08:00 local

    clock.set(datetime(2026, 12, 8, 7, 0, tzinfo=UTC))
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text == "Taal aangepast. #1"


async def test_after_downtime_late_messages_go_out_and_pointless_ones_are_skipped(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    await add_user(repo, 607)
    await schedule_note(repo, 607, 1, due_at=NOON - timedelta(minutes=50))  # within grace
    await schedule_note(repo, 607, 2, due_at=NOON - timedelta(hours=3))  # past its 1 h grace
    started = (NOON - timedelta(minutes=5)).isoformat()
    await schedule_note(
        repo, 607, 3, due_at=NOON - timedelta(hours=2), kind="test.event_reminder", starts=started
    )
    await schedule_note(repo, 607, 4, due_at=NOON, gone=True)  # nothing to say any more
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text == "Taal aangepast. #1"
    assert not bot_api.calls
    for n in (2, 3, 4):
        assert (await _status(repo, f"note:607:{n}"))[0] == "skipped"


async def test_a_claim_whose_process_died_is_taken_again_after_the_lease(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    await add_user(repo, 608)
    await schedule_note(repo, 608, 1, due_at=NOON)
    async with repo.write():
        [claimed] = await repo.outbox_claims.claim_due(NOON, 10, timedelta(minutes=2))
    assert claimed.status == "sending"

    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    assert not bot_api.calls  # the lease still holds

    clock.advance(timedelta(minutes=3))
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).chat_id == 608
    assert await _status(repo, "note:608:1") == ("sent", 2, None)


async def test_two_concurrent_claimers_never_take_the_same_row(
    repo: Repo,
    session_pool: SessionPool,
) -> None:
    async with repo.write():
        for n in range(300):
            await repo.outbox.add(
                key=f"race:{n}",
                recipient_id=n + 1,
                kind="test.note",
                params={},
                due_at=NOON,
                subject=None,
                urgent=False,
                now=NOON,
            )

    async def claimer() -> list[int]:
        taken: list[int] = []
        while True:
            async with session_pool() as session:
                claims = Repo(session)
                async with claims.write():
                    rows = await claims.outbox_claims.claim_due(NOON, 7, timedelta(minutes=2))
            if not rows:
                return taken
            taken.extend(row.id for row in rows)
            await asyncio.sleep(0)

    first, second = await asyncio.gather(claimer(), claimer())
    assert len(first) + len(second) == 300
    assert not set(first) & set(second)
    if repo.session.bind.dialect.name == "postgresql":
        assert first and second  # both really claimed side by side (SQLite takes turns)
    assert (await _status(repo, "race:0"))[0] == OutboxStatus.SENDING


async def test_a_claim_takes_no_more_rows_than_asked(repo: Repo) -> None:
    async with repo.write():
        for n in range(10):
            await repo.outbox.add(
                key=f"limit:{n}",
                recipient_id=n + 1,
                kind="test.note",
                params={},
                due_at=NOON,
                subject=None,
                urgent=False,
                now=NOON,
            )
    async with repo.write():
        claimed = await repo.outbox_claims.claim_due(NOON, 4, timedelta(minutes=2))
    assert [row.key for row in claimed] == [f"limit:{n}" for n in range(4)]


class HeldLimiter(NoWaitLimiter):
    """Holds every message at its slot until the test lets go (a long wait for the limit)."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.go = asyncio.Event()

    async def acquire(self, chat_id: int, ready: Ready | None = None) -> float | None:
        await self.go.wait()
        return await super().acquire(chat_id, ready)


async def test_a_sender_whose_claim_ran_out_while_waiting_does_not_send_it_again(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    """Sender A claims a message and waits for the rate limit longer than its lease; sender B
    (another process) takes the row and sends it. When A's turn comes, the claim is no longer
    A's: it sends nothing, so the person gets the message once."""
    clock.set(NOON)
    await add_user(repo, 611)
    await schedule_note(repo, 611, 1, due_at=NOON)
    held = HeldLimiter(clock)
    first = Sender(bot, session_pool, clock, i18n, settings, held)
    assert await first.tick() == 1
    await asyncio.sleep(0.05)  # A's delivery now waits for its slot

    clock.advance(timedelta(minutes=3))  # longer than the lease
    second = make_sender(bot, session_pool, clock, i18n, settings)
    await second.run_until_idle()
    assert bot_api.take(SendMessage).chat_id == 611

    held.go.set()
    await first.drain()
    assert not bot_api.calls, "sent twice"
    assert first.stats.lost_claims == 1
    assert await _status(repo, "note:611:1") == ("sent", 2, None)


class ClaimNotingLimiter(HeldLimiter):
    """Notes in `seen` when it claims the moment a message goes out."""

    def __init__(self, clock: FakeClock, seen: list[str]) -> None:
        super().__init__(clock)
        self.seen = seen

    async def _claim_moment(self) -> tuple[float, float]:
        self.seen.append("moment claimed")
        return await super()._claim_moment()


async def test_a_lease_renewed_before_sending_comes_before_the_send_moment_is_claimed(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    engine: AsyncEngine,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    """A message that waited for the rate limit more than half its lease has its claim renewed
    in the database just before it goes. That write comes before the limiter claims the moment
    the message goes out: the moment claimed (which the limit counts) is the moment it is sent,
    not a database round trip earlier."""
    clock.set(NOON)
    await add_user(repo, 612)
    await schedule_note(repo, 612, 1, due_at=NOON)
    seen: list[str] = []

    def note_renewal(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            seen.append("lease renewed")

    limiter = ClaimNotingLimiter(clock, seen)
    sender = Sender(bot, session_pool, clock, i18n, settings, limiter)
    assert await sender.tick() == 1
    await asyncio.sleep(0.05)  # the delivery waits for its slot
    clock.advance(timedelta(seconds=90))  # more than half of the two minutes' lease
    event.listen(engine.sync_engine, "before_cursor_execute", note_renewal)
    try:
        limiter.go.set()
        await sender.drain()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note_renewal)
    assert bot_api.take(SendMessage).chat_id == 612
    assert seen[:2] == ["lease renewed", "moment claimed"], seen
