"""The database goes away in the middle of a broadcast: every message Telegram accepted is
recorded as sent once the database is back, before anything is claimed again, and while it is
away nothing is claimed. Nobody gets a message twice, nobody misses one."""

from __future__ import annotations

import collections
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from storage.engine import SessionPool
from storage.models import OutboxMessage
from storage.repositories import Repo
from tests.delivery_helpers import NOON, add_user, make_sender, schedule_note
from tests.mocked_bot import MockedBotAPI


class Outage:
    """Every statement fails while the database is "down", as with a server that went away."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.down = False
        self.refused = 0

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _refuse(*_args: Any) -> None:
            if self.down:
                self.refused += 1
                raise OperationalError("SELECT 1", None, ConnectionRefusedError("server gone"))


class GoesDownAfter(MockedBotAPI):
    """A Bot API look-alike that takes the database down right after its n-th message."""

    def __init__(self, outage: Outage, after: int) -> None:
        super().__init__()
        self.outage, self.after, self.sent = outage, after, 0

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        result = await super().make_request(bot, method, timeout)
        if isinstance(method, SendMessage):
            self.sent += 1
            if self.sent == self.after:
                self.outage.down = True
        return result


async def test_a_broadcast_through_a_database_outage_reaches_everyone_exactly_once(
    repo: Repo,
    engine: AsyncEngine,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    clock.set(NOON)
    people = list(range(7001, 7061))
    for person in people:
        await add_user(repo, person)
        await schedule_note(repo, person, 1, due_at=NOON, kind="test.urgent")
    outage = Outage(engine)
    api = GoesDownAfter(outage, after=12)
    bot = Bot("42:TEST", session=api)
    sender = make_sender(bot, session_pool, clock, i18n, settings)

    await sender.tick()  # claims a batch; the database goes away after the 12th message
    await sender.drain()
    assert outage.down and sender.unrecorded > 0

    # While it is away (longer than a lease), nothing is claimed and nothing goes out again.
    for _ in range(3):
        clock.advance(timedelta(minutes=2))
        assert await sender.tick() == 0
        await sender.drain()
    sent_during_outage = api.sent
    assert sent_during_outage >= 12

    outage.down = False
    await sender.run_until_idle()

    chats = collections.Counter(call.chat_id for call in api.calls if isinstance(call, SendMessage))
    assert sorted(chats) == people
    assert set(chats.values()) == {1}, "nobody gets a message twice"
    assert sender.unrecorded == 0
    repo.session.expire_all()
    statuses = (
        await repo.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
    ).all()
    assert dict(statuses) == {"sent": 60}
    assert outage.refused > 0
    api.calls.clear()
