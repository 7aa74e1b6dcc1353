"""The sender: claims due outbox rows and delivers them within Telegram's limits.

Each claimed row is delivered by its own task in three short steps, so that no database
connection is held while waiting for the rate limiter or Telegram: (1) look up the recipient
and render the message in their language, (2) wait for a slot and send, (3) record the outcome.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from sqlalchemy.exc import DBAPIError

from bot.clock import Clock
from bot.config import Settings
from bot.delivery.limits import RateLimiter, SendLimiter
from bot.delivery.policy import MAX_ATTEMPTS, retry_delay, too_late
from bot.i18n import CatalogI18n, pick_locale, speaking
from bot.notifications.registry import MessageKind, RenderContext, Rendered, get_kind
from bot.quiet_hours import quiet_hours_end
from storage.engine import SessionPool
from storage.models import OutboxMessage, OutboxStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# How long one chat's queue may make a message wait before it is put back for later.
LONGEST_CHAT_WAIT = 20.0
# Claim no more than the overall limit lets out in this many seconds: claimed rows must go out
# well within their lease, or another claimer would take them again.
CLAIM_AHEAD_SECONDS = 3.0
# What an unreachable database raises: refused or lost connections, timeouts, locks.
DATABASE_UNREACHABLE = (DBAPIError, OSError, TimeoutError)


@dataclass
class DeliveryStats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    rate_limited: int = 0
    deferred: int = 0
    lost_claims: int = 0
    errors: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What became of one claimed row, to be written to the database: finished with a status,
    or put back to go out at `due_at`."""

    action: Literal["finish", "release"]
    at: datetime
    status: OutboxStatus | None = None
    error: str | None = None
    telegram_message_id: int | None = None
    due_at: datetime | None = None
    refund: bool = False


@dataclass(frozen=True, slots=True)
class _Prepared:
    chat_id: int
    rendered: Rendered


class Sender:
    def __init__(
        self,
        bot: Bot,
        session_pool: SessionPool,
        clock: Clock,
        i18n: CatalogI18n,
        settings: Settings,
        limiter: SendLimiter | None = None,
        *,
        batch_size: int = 100,
        max_in_flight: int = 200,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.bot = bot
        self.session_pool = session_pool
        self.clock = clock
        self.i18n = i18n
        self.settings = settings
        self.limiter = limiter or RateLimiter()
        self.batch_size = batch_size
        self.max_in_flight = max_in_flight
        self.lease = lease
        self.stats = DeliveryStats()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._in_flight_rows: set[int] = set()
        self._chat_queues: dict[int, collections.deque[OutboxMessage]] = {}
        self._chat_workers: dict[int, asyncio.Task[None]] = {}
        # Outcomes the database could not take yet (it was unreachable), by row: written first
        # when it is back, and nothing is claimed before they are (a message Telegram accepted
        # must be recorded as sent before its row could be claimed and sent again).
        self._unrecorded: dict[int, _Outcome] = {}
        self._closing = False

    @property
    def in_flight(self) -> int:
        return len(self._in_flight_rows)

    @property
    def unrecorded(self) -> int:
        """Outcomes waiting for the database to be reachable again."""
        return len(self._unrecorded)

    async def tick(self) -> int:
        """Claim what is due, as far as there is room, and start delivering it.

        Messages to one chat go out one after the other, in the order they were due, by one
        worker per chat; different chats are served side by side.
        """
        if self._closing:
            return 0
        if self._unrecorded and not await self._record_unrecorded():
            return 0  # the database is still away: claim nothing until it has what we did
        # Claim what the limit lets out within CLAIM_AHEAD_SECONDS after the messages already
        # waiting for a slot (with a shared limit: every process's), so claims go out well
        # within their lease however many senders there are.
        backlog = await self.limiter.overall_wait()
        ahead = int(self.limiter.limits.overall_per_second * (CLAIM_AHEAD_SECONDS - backlog))
        room = min(self.batch_size, self.max_in_flight, ahead) - len(self._in_flight_rows)
        if room <= 0:
            return 0
        try:
            async with self.session_pool() as session:
                repo = Repo(session)
                async with repo.write():
                    rows = await repo.outbox_claims.claim_due(self.clock.now(), room, self.lease)
        except DATABASE_UNREACHABLE as exc:
            logger.warning("nothing claimed, the database can't be reached: %s", type(exc).__name__)
            return 0
        for row in rows:
            if row.id in self._in_flight_rows or row.id in self._unrecorded:
                continue  # our own claim whose lease ran out: its worker is still on it
            self._in_flight_rows.add(row.id)
            queue = self._chat_queues.setdefault(row.recipient_id, collections.deque())
            queue.append(row)
            if len(queue) == 1 and row.recipient_id not in self._chat_workers:
                task = asyncio.create_task(
                    self._work_chat(row.recipient_id), name=f"deliver-to-{row.id}"
                )
                self._chat_workers[row.recipient_id] = task
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
        return len(rows)

    async def _work_chat(self, chat_id: int) -> None:
        queue = self._chat_queues[chat_id]
        try:
            while queue:
                row = queue[0]
                try:
                    await self._deliver(row)
                finally:
                    queue.popleft()
                    self._in_flight_rows.discard(row.id)
        finally:
            for row in queue:
                self._in_flight_rows.discard(row.id)
            del self._chat_queues[chat_id]
            del self._chat_workers[chat_id]

    async def drain(self) -> None:
        """Wait until every started delivery has finished."""
        while self._in_flight:
            await asyncio.gather(*list(self._in_flight), return_exceptions=True)

    async def run_until_idle(self) -> None:
        """Deliver everything due now (tests, the console, the benchmark)."""
        while await self.tick() or self._in_flight:
            await self.drain()

    async def close(self, grace: float = 5.0) -> None:
        """Stop: nothing new is claimed, deliveries under way get `grace` seconds to finish
        (and be recorded); the rest are cancelled, and their leases bring them back later."""
        self._closing = True
        if self._in_flight:
            await asyncio.wait(list(self._in_flight), timeout=grace)
        for task in list(self._in_flight):
            task.cancel()
        await asyncio.gather(*list(self._in_flight), return_exceptions=True)
        if self._unrecorded:
            await self._record_unrecorded()

    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            prepared = await self._prepare(row)
            if prepared is not None:
                await self._send(row, prepared)
        except asyncio.CancelledError:
            raise
        except DATABASE_UNREACHABLE as exc:
            # Nothing went out: the row goes back as soon as the database can take it.
            logger.warning("outbox row %s waits, the database can't be reached", row.id)
            await self._release(row, self.clock.now(), f"error: {type(exc).__name__}", refund=True)
        except Exception as exc:
            logger.exception("delivery of outbox row %s failed", row.id)
            await self._retry_or_fail(row, f"error: {type(exc).__name__}")

    async def _prepare(self, row: OutboxMessage) -> _Prepared | None:
        """Decide whether the row still goes out, and render it; None when it was settled."""
        kind = get_kind(row.kind)
        now = self.clock.now()
        if kind is None:
            await self._finish(row, OutboxStatus.FAILED, f"unknown kind: {row.kind}")
            return None
        if too_late(row.due_at, now, kind.grace) or (
            kind.still_useful is not None and not kind.still_useful(row.params, now)
        ):
            await self._finish(row, OutboxStatus.SKIPPED, "too late: no longer useful")
            return None
        if not (row.urgent or kind.urgent):
            morning = quiet_hours_end(now, self.settings.tz)
            if morning is not None:
                self.stats.deferred += 1
                await self._release(row, morning, "quiet hours", refund=True)
                return None
        async with self.session_pool() as session:
            repo = Repo(session)
            async with repo.read():
                rendered = await self._render(repo, row, kind, now)
        return None if rendered is None else _Prepared(row.recipient_id, rendered)

    async def _render(
        self, repo: Repo, row: OutboxMessage, kind: MessageKind, now: datetime
    ) -> Rendered | None:
        if row.recipient_id < 0:  # a group chat, e.g. the coordinators' group
            locale = self.settings.default_locale
            recipient = None
        else:
            recipient = await repo.users.get(row.recipient_id)
            if recipient is None:
                await self._finish(row, OutboxStatus.SKIPPED, "unreachable: unknown recipient")
                return None
            if not recipient.is_reachable and not kind.essential:
                await self._finish(row, OutboxStatus.SKIPPED, "unreachable: blocked the bot")
                return None
            locale = pick_locale(
                recipient.language, recipient.telegram_language, self.settings.default_locale
            )
        context = RenderContext(repo, recipient, locale, now, self.settings, self.bot)
        with speaking(self.i18n, locale):
            rendered = await kind.render(context, row.params)
        if rendered is None:
            await self._finish(row, OutboxStatus.SKIPPED, "too late: nothing to say any more")
        return rendered

    async def _send(self, row: OutboxMessage, prepared: _Prepared) -> None:
        chat_id = prepared.chat_id
        wait = await self.limiter.wait_for_chat(chat_id)
        if wait > LONGEST_CHAT_WAIT:
            later = self.clock.now() + timedelta(seconds=wait)
            await self._release(row, later, "waiting for the chat's rate limit", refund=True)
            return
        if await self.limiter.acquire(chat_id, ready=lambda: self._still_ours(row)) is None:
            return
        try:
            message = await self.bot.send_message(
                chat_id, prepared.rendered.text, reply_markup=prepared.rendered.reply_markup
            )
        except TelegramRetryAfter as exc:
            self.stats.rate_limited += 1
            await self.limiter.pause(chat_id, exc.retry_after)
            later = self.clock.now() + timedelta(seconds=exc.retry_after)
            await self._release(row, later, "rate limited: 429", refund=True)
        except TelegramForbiddenError as exc:
            await self._mark_unreachable(chat_id)
            await self._finish(row, OutboxStatus.FAILED, f"blocked: {exc.message}")
        except TelegramBadRequest as exc:
            await self._finish(row, OutboxStatus.FAILED, f"rejected: {exc.message}")
        else:
            await self._finish(row, OutboxStatus.SENT, telegram_message_id=message.message_id)

    async def _still_ours(self, row: OutboxMessage) -> bool:
        """Just before sending, once its turn has come and before its send moment is claimed (a
        renewal may wait for the database): a claim whose lease is running out is renewed, and
        if another sender took the row meanwhile (its lease ran out while this one waited) it
        is not sent."""
        now = self.clock.now()
        if row.lease_until is not None and now < row.lease_until - self.lease / 2:
            return True
        async with self.session_pool() as session:
            repo = Repo(session)
            async with repo.write():
                ours = await repo.outbox_claims.extend(row.id, row.attempts, now, self.lease)
        if ours:
            row.lease_until = now + self.lease
        else:
            self.stats.lost_claims += 1
            logger.warning("outbox row %s was claimed by another sender meanwhile", row.id)
        return ours

    async def _retry_or_fail(self, row: OutboxMessage, error: str) -> None:
        if row.attempts >= MAX_ATTEMPTS:
            await self._finish(row, OutboxStatus.FAILED, error)
            return
        self.stats.retried += 1
        await self._release(row, self.clock.now() + retry_delay(row.attempts), error)

    async def _finish(
        self,
        row: OutboxMessage,
        status: OutboxStatus,
        error: str | None = None,
        *,
        telegram_message_id: int | None = None,
    ) -> None:
        outcome = _Outcome(
            "finish",
            self.clock.now(),
            status=status,
            error=error,
            telegram_message_id=telegram_message_id,
        )
        await self._record(row.id, outcome)
        self._count(status, error)

    async def _release(
        self, row: OutboxMessage, due_at: datetime, reason: str, *, refund: bool = False
    ) -> None:
        outcome = _Outcome("release", self.clock.now(), error=reason, due_at=due_at, refund=refund)
        await self._record(row.id, outcome)

    async def _record(self, row_id: int, outcome: _Outcome) -> None:
        """Write the outcome; when the database can't be reached it is kept, and written
        before anything else is claimed (see `tick`)."""
        try:
            await self._write(row_id, outcome)
        except DATABASE_UNREACHABLE as exc:
            logger.warning(
                "outbox row %s: the database can't be reached (%s), its outcome is kept until "
                "it is back",
                row_id,
                type(exc).__name__,
            )
            self._unrecorded[row_id] = outcome

    async def _record_unrecorded(self) -> bool:
        """Write the kept outcomes, oldest first; True when none is left."""
        for row_id, outcome in list(self._unrecorded.items()):
            try:
                await self._write(row_id, outcome)
            except DATABASE_UNREACHABLE:
                return False
            del self._unrecorded[row_id]
        logger.info("the database is back: every kept delivery outcome is recorded")
        return True

    async def _write(self, row_id: int, outcome: _Outcome) -> None:
        async with self.session_pool() as session:
            repo = Repo(session)
            async with repo.write():
                if outcome.action == "finish":
                    assert outcome.status is not None
                    recorded = await repo.outbox_claims.finish(
                        row_id,
                        outcome.status,
                        outcome.at,
                        error=outcome.error,
                        telegram_message_id=outcome.telegram_message_id,
                    )
                    if not recorded:
                        logger.warning("outbox row %s was no longer ours when it finished", row_id)
                else:
                    assert outcome.due_at is not None
                    await repo.outbox_claims.release(
                        row_id,
                        outcome.due_at,
                        outcome.at,
                        error=outcome.error,
                        refund_attempt=outcome.refund,
                    )

    async def _mark_unreachable(self, chat_id: int) -> None:
        if chat_id < 0:
            return
        try:
            async with self.session_pool() as session:
                repo = Repo(session)
                async with repo.write():
                    await repo.users.set_reachable(chat_id, False, self.clock.now())
        except DATABASE_UNREACHABLE:
            logger.warning("a person who blocked the bot could not be marked, the database is away")

    def _count(self, status: OutboxStatus, error: str | None) -> None:
        if status is OutboxStatus.SENT:
            self.stats.sent += 1
        elif status is OutboxStatus.SKIPPED:
            self.stats.skipped += 1
        elif error and error.startswith("blocked"):
            self.stats.blocked += 1
        else:
            self.stats.failed += 1
        if error:
            category = error.split(":", 1)[0]
            self.stats.errors[category] = self.stats.errors.get(category, 0) + 1
