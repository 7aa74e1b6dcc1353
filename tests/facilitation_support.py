"""Facilitators, tables and delivered requests for the facilitation tests. The clock starts on
Monday 2 March 2026, 10:00 in Amsterdam; the default table is Tuesday 10 March, 19:30–21:30."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.methods import SendMessage
from aiogram.types import Chat, Message
from aiogram.types import User as TgUser

from bot.clock import FakeClock
from bot.config import Settings
from bot.delivery import Sender
from bot.i18n import CatalogI18n
from storage.engine import SessionPool
from storage.models import Event, FacilitationRequest, OutboxMessage, Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID
from tests.delivery_helpers import make_sender
from tests.event_helpers import make_event
from tests.factories import make_user, message_update
from tests.mocked_bot import BOT_USER, MockedBotAPI

FATIMA = 880_001
PIET = 880_002
SARA = 880_003
EMMA = 880_004  # English


def tg_user(user_id: int) -> TgUser:
    names = {FATIMA: "Fatima", PIET: "Piet", SARA: "Sara", EMMA: "Emma", COORDINATOR_ID: "Kees"}
    language = "en" if user_id == EMMA else "nl"
    return make_user(id=user_id, first_name=names.get(user_id, "Bewoner"), language_code=language)


async def add_person(
    repo: Repo,
    clock: FakeClock,
    user_id: int,
    *,
    role: Role = Role.FACILITATOR,
    levels: tuple[str, ...] = ("basis",),
    username: str | None = None,
) -> None:
    tg = tg_user(user_id)
    async with repo.write():
        user, _created = await repo.users.ensure(
            user_id,
            first_name=tg.first_name,
            last_name=None,
            username=username,
            telegram_language=tg.language_code,
            now=clock.now(),
        )
        user.role = role.value
        for level in levels:
            await repo.facilitators.grant_certificate(user_id, level, clock.now())


async def team(repo: Repo, clock: FakeClock) -> None:
    """Kees (coordinator), Fatima and Piet (Basis), Sara (Basis and Kinder), Emma (English)."""
    await add_person(repo, clock, COORDINATOR_ID, role=Role.COORDINATOR, levels=())
    await add_person(repo, clock, FATIMA, username="fatima")
    await add_person(repo, clock, PIET)
    await add_person(repo, clock, SARA, levels=("basis", "kinder"))
    await add_person(repo, clock, EMMA)


async def table(repo: Repo, clock: FakeClock, **overrides: Any) -> Event:
    return await make_event(repo, clock, **overrides)


def sender_for(
    bot: Bot, session_pool: SessionPool, clock: FakeClock, i18n: CatalogI18n, settings: Settings
) -> Sender:
    return make_sender(bot, session_pool, clock, i18n, settings)


async def deliver(sender: Sender, bot_api: MockedBotAPI, count: int) -> list[SendMessage]:
    """Run the sender until idle; exactly `count` messages went out (sorted by chat)."""
    await sender.run_until_idle()
    sent = [bot_api.take(SendMessage) for _ in range(count)]
    assert not bot_api.calls
    return sorted(sent, key=lambda message: int(message.chat_id))


async def message_id_of(repo: Repo, key: str) -> int:
    repo.session.expire_all()
    row = await repo.outbox.by_key(key)
    await repo.session.commit()
    assert row is not None and row.telegram_message_id is not None
    return row.telegram_message_id


def reply_update(user: TgUser, text: str | None, to_message_id: int, **extra: Any) -> Any:
    """The user's reply to the bot's message `to_message_id`."""
    original = Message(
        message_id=to_message_id,
        date=datetime.now(UTC),
        chat=Chat(id=user.id, type="private"),
        from_user=BOT_USER,
        text="…",
    )
    return message_update(user, text, reply_to_message=original, **extra)


async def requests_of(repo: Repo, event_id: int) -> list[tuple[int, str]]:
    """(facilitator, status) of every request for a table, in order."""
    repo.session.expire_all()
    found = [
        (request.facilitator_id, request.status)
        for request, _user in await repo.facilitation.requests_for_event(event_id)
    ]
    await repo.session.commit()
    return found


async def request_id(repo: Repo, event_id: int, facilitator_id: int) -> int:
    from sqlalchemy import select

    result = await repo.session.execute(
        select(FacilitationRequest.id)
        .where(
            FacilitationRequest.event_id == event_id,
            FacilitationRequest.facilitator_id == facilitator_id,
        )
        .order_by(FacilitationRequest.id.desc())
    )
    found = result.scalars().first()
    await repo.session.commit()
    assert found is not None
    return int(found)


async def outbox_of(repo: Repo, key_prefix: str) -> list[tuple[str, int, str]]:
    """(key, recipient, status) of the outbox rows whose key starts with `key_prefix`."""
    from sqlalchemy import select

    repo.session.expire_all()
    result = await repo.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.key.startswith(key_prefix))
        .order_by(OutboxMessage.key)
    )
    rows = [(row.key, row.recipient_id, row.status) for row in result.scalars()]
    await repo.session.commit()
    return rows


async def confirmed(repo: Repo, event_id: int) -> int:
    repo.session.expire_all()
    event = await repo.events.get(event_id)
    await repo.session.commit()
    assert event is not None
    return event.facilitators_confirmed
