"""Coordinators' alerts: one outbox row per coordinator, or a single row to the coordinators'
group chat when COORDINATOR_CHAT_ID is configured (the sender keeps group chats within
Telegram's 20 messages a minute)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.services import outbox
from storage.models import Role
from storage.repositories import Repo


async def alert_coordinators(
    repo: Repo,
    *,
    key: str,
    kind: str,
    params: Mapping[str, object],
    now: datetime,
    coordinator_chat_id: int | None = None,
    urgent: bool = False,
) -> int:
    """Schedule the alert `kind` for the coordinators; returns how many rows were new.

    `key` identifies the alert (e.g. "no-facilitator:event:7"); each recipient's row gets
    ":<chat id>" appended, so the same alert is never sent twice to the same chat.
    Does not commit: it belongs to the use-case that raises the alert.
    """
    if coordinator_chat_id is not None:
        recipients = [coordinator_chat_id]
    else:
        recipients = sorted(user.id for user in await repo.users.with_role(Role.COORDINATOR))
    added = 0
    for recipient in recipients:
        if await outbox.schedule(
            repo,
            key=f"alert:{key}:{recipient}",
            recipient_id=recipient,
            kind=kind,
            params=params,
            due_at=now,
            now=now,
            subject=f"alert:{key}",
            urgent=urgent,
        ):
            added += 1
    return added
