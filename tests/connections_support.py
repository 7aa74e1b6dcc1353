"""Helpers for the connections tests: outbox rows and rendering them as the sender would."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from sqlalchemy import select

from bot.config import Settings
from bot.i18n import create_i18n, speaking
from bot.notifications.registry import RenderContext, Rendered, get_kind
from storage.models import OutboxMessage
from storage.repositories import Repo

_I18N = create_i18n("nl")


async def outbox_rows(repo: Repo, kind: str | None = None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        statement = statement.where(OutboxMessage.kind == kind)
    rows = list((await repo.session.execute(statement)).scalars().all())
    await repo.session.commit()
    return rows


async def render(
    repo: Repo,
    row: OutboxMessage,
    settings: Settings,
    now: datetime,
    locale: str,
    bot: Bot | None = None,
) -> Rendered | None:
    kind = get_kind(row.kind)
    assert kind is not None, row.kind
    recipient = await repo.users.get(row.recipient_id)
    with speaking(_I18N, locale):
        rendered = await kind.render(
            RenderContext(repo, recipient, locale, now, settings, bot), dict(row.params)
        )
    await repo.session.commit()
    return rendered


async def mark_sent(repo: Repo, row_id: int, telegram_message_id: int) -> None:
    """What the sender does after delivering a row."""
    row = await repo.session.get(OutboxMessage, row_id)
    assert row is not None
    row.status = "sent"
    row.telegram_message_id = telegram_message_id
    await repo.session.commit()
