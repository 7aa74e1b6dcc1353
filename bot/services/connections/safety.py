"""Keeping introductions safe and polite: a member declines (the sender is told kindly),
either side reports a conversation to the coordinators (it ends; the other side is not told
who reported), a member blocks the sender for the initiative, and a coordinator blocks a
sender everywhere."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.services import outbox
from bot.services.connections.introductions import (
    DECLINED,
    REPORT,
    NotInThreadError,
    ThreadClosedError,
    side_of,
    thread_subject,
)
from bot.services.coordination import audit
from bot.services.coordination.alerts import alert_coordinators
from bot.services.message_params import ThreadParams
from storage.models import IntroThread, ThreadStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)


async def decline(repo: Repo, thread_id: int, user_id: int, *, now: datetime) -> IntroThread:
    """A member says no, politely: the sender is told, the thread ends."""
    async with repo.write():
        side = await side_of(repo, thread_id, user_id, for_update=True)
        if side.is_sender or side.thread.status != ThreadStatus.OPEN:
            raise ThreadClosedError(thread_id)
        side.thread.status = ThreadStatus.DECLINED
        side.thread.updated_at = now
        await outbox.schedule(
            repo,
            key=f"intro:{thread_id}:declined",
            recipient_id=side.thread.sender_id,
            kind=DECLINED,
            params=ThreadParams(thread_id=thread_id),
            due_at=now,
            now=now,
            subject=thread_subject(thread_id),
            urgent=True,
        )
    return side.thread


async def report(
    repo: Repo,
    thread_id: int,
    user_id: int,
    *,
    now: datetime,
    coordinator_chat_id: int | None = None,
) -> IntroThread:
    """Either side reports the conversation: it ends, nothing more is relayed, and the
    coordinators get the thread (the other side is not told who reported)."""
    async with repo.write():
        side = await side_of(repo, thread_id, user_id, for_update=True)
        thread = side.thread
        if thread.reported_at is None:
            thread.reported_side = "sender" if side.is_sender else "initiative"
            thread.reported_at = now
            thread.status = ThreadStatus.CLOSED
            thread.updated_at = now
            await outbox.cancel_subject(repo, thread_subject(thread_id), now=now)
            await alert_coordinators(
                repo,
                key=f"intro-report:{thread_id}",
                kind=REPORT,
                params=ThreadParams(thread_id=thread_id),
                now=now,
                coordinator_chat_id=coordinator_chat_id,
            )
    logger.info("introduction %s reported", thread_id)
    return thread


async def block(repo: Repo, thread_id: int, user_id: int, *, now: datetime) -> IntroThread:
    """A member blocks the sender for their initiative, for good; the thread ends."""
    async with repo.write():
        side = await side_of(repo, thread_id, user_id, for_update=True)
        if side.is_sender:
            raise NotInThreadError(thread_id)
        thread = side.thread
        await repo.connections.block(
            thread.sender_id,
            initiative_id=thread.initiative_id,
            blocked_by=user_id,
            thread_id=thread_id,
            now=now,
        )
        thread.status = ThreadStatus.CLOSED
        thread.updated_at = now
        await outbox.cancel_subject(repo, thread_subject(thread_id), now=now)
    logger.info("introduction %s: sender blocked by the initiative", thread_id)
    return thread


async def ban_sender(repo: Repo, thread_id: int, coordinator_id: int, *, now: datetime) -> bool:
    """A coordinator blocks the sender of a reported thread from writing to anyone."""
    async with repo.write():
        thread = await repo.connections.thread(thread_id)
        if thread is None:
            raise NotInThreadError(thread_id)
        added = await repo.connections.block(
            thread.sender_id,
            initiative_id=None,
            blocked_by=coordinator_id,
            thread_id=thread_id,
            now=now,
        )
        await audit.record(
            repo,
            actor_id=coordinator_id,
            action="intro.block_everywhere",
            target=f"user:{thread.sender_id}",
            details={"thread": thread_id, "new": added},
            now=now,
        )
    logger.info("introduction %s: sender blocked everywhere by a coordinator", thread_id)
    return added
