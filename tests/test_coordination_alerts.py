"""Coordinators' alerts: one message per coordinator, or one to the coordinators' group when
COORDINATOR_CHAT_ID is set, never twice, and a group gets at most Telegram's 20 a minute."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n, _
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.coordination.alerts import alert_coordinators
from storage.engine import SessionPool
from storage.models import OutboxMessage
from storage.repositories import Repo
from tests.coordination_support import T0, add_user
from tests.delivery_helpers import make_sender
from tests.mocked_bot import MockedBotAPI

GROUP = -1001234567


@message_kind("test.coordinator_alert", urgent=True)
async def render_alert(ctx: RenderContext, params: dict[str, Any]) -> Rendered | None:
    return Rendered(_("Sorry, only coordinators can do this.") + f" #{params['n']}")


async def _alert(repo: Repo, n: int, chat: int | None = None) -> int:
    async with repo.write():
        added = await alert_coordinators(
            repo, key=f"test:{n}", kind="test.coordinator_alert", params={"n": n}, now=T0,
            coordinator_chat_id=chat,
        )  # fmt: skip
    return added


async def _rows(repo: Repo) -> list[tuple[str, int, str]]:
    repo.session.expire_all()
    result = await repo.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
    rows = [(r.key, r.recipient_id, r.status) for r in result.scalars()]
    await repo.session.commit()
    return rows


async def test_each_coordinator_gets_the_alert_once(repo: Repo) -> None:
    await add_user(repo, 9001, role="coordinator")
    await add_user(repo, 9002, role="coordinator")
    await add_user(repo, 9003, role="facilitator")
    assert await _alert(repo, 1) == 2
    assert await _alert(repo, 1) == 0  # the same alert again: nothing new
    assert await _rows(repo) == [
        ("alert:test:1:9001", 9001, "pending"),
        ("alert:test:1:9002", 9002, "pending"),
    ]


async def test_with_a_coordinators_group_one_message_goes_to_the_group(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    await add_user(repo, 9001, role="coordinator")
    assert await _alert(repo, 1, GROUP) == 1
    assert await _rows(repo) == [(f"alert:test:1:{GROUP}", GROUP, "pending")]
    clock.set(T0)
    await make_sender(bot, session_pool, clock, i18n, settings).run_until_idle()
    sent = bot_api.take(SendMessage)
    assert (sent.chat_id, sent.text) == (GROUP, "Sorry, dit kunnen alleen coördinatoren doen. #1")


async def test_a_flood_of_alerts_to_the_group_respects_twenty_a_minute(
    repo: Repo,
    bot: Bot,
    bot_api: MockedBotAPI,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    for n in range(25):
        await _alert(repo, n, GROUP)
    clock.set(T0)
    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    sent = len(bot_api.take_all())
    assert 0 < sent <= 10  # a burst of 3, then one every 3 seconds, for at most 20 seconds
    waiting = [row for row in await _rows(repo) if row[2] == "pending"]
    assert sent + len(waiting) == 25
