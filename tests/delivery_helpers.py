"""Message kinds and a sender wired to the strict mocked Bot API, for delivery tests."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot

from bot.clock import FakeClock
from bot.config import Settings
from bot.delivery import Limits, RateLimiter, Sender
from bot.delivery.limits import SendWindow
from bot.i18n import CatalogI18n, _
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services import outbox
from storage.engine import SessionPool
from storage.repositories import Repo

# 12:00 in Amsterdam on a winter Monday: outside quiet hours.
NOON = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)


@message_kind("test.note", grace=timedelta(hours=1))
async def render_note(ctx: RenderContext, params: dict[str, Any]) -> Rendered | None:
    if params.get("gone"):
        return None
    return Rendered(_("Language changed.") + f" #{params.get('n', 0)}")


@message_kind("test.urgent", urgent=True, essential=True)
async def render_urgent(ctx: RenderContext, params: dict[str, Any]) -> Rendered | None:
    return Rendered(f"urgent #{params.get('n', 0)}")


@message_kind(
    "test.event_reminder", still_useful=lambda p, now: now < datetime.fromisoformat(p["starts"])
)
async def render_event_reminder(ctx: RenderContext, params: dict[str, Any]) -> Rendered | None:
    return Rendered("see you soon")


class NoWaitLimiter(RateLimiter):
    """Real buckets that read the test's clock and never sleep. Their send window never fills:
    on a clock that stands still it would never empty either."""

    def __init__(self, clock: FakeClock) -> None:
        async def no_sleep(_seconds: float) -> None:
            return None

        super().__init__(Limits(), monotonic=lambda: clock.now().timestamp(), sleep=no_sleep)
        self.window = SendWindow(limit=sys.maxsize)


def most_in_one_second(moments: list[float]) -> int:
    """How many of the moments a limiter claimed fall in the busiest second."""
    moments = sorted(moments)
    return max(sum(1 for t in moments if first <= t < first + 1.0) for first in moments)


def make_sender(
    bot: Bot, session_pool: SessionPool, clock: FakeClock, i18n: CatalogI18n, settings: Settings
) -> Sender:
    return Sender(bot, session_pool, clock, i18n, settings, NoWaitLimiter(clock))


async def add_user(
    repo: Repo, user_id: int, *, language: str | None = None, now: datetime = NOON
) -> None:
    async with repo.write():
        user, _created = await repo.users.ensure(
            user_id,
            first_name="Test",
            last_name=None,
            username=None,
            telegram_language="nl",
            now=now,
        )
        user.language = language


async def schedule_note(
    repo: Repo, user_id: int, n: int, *, due_at: datetime, kind: str = "test.note", **params: Any
) -> bool:
    async with repo.write():
        added = await outbox.schedule(
            repo,
            key=f"note:{user_id}:{n}",
            recipient_id=user_id,
            kind=kind,
            params={"n": n, **params},
            due_at=due_at,
            now=NOON,
            subject=f"user:{user_id}",
        )
    return added
