"""The outbox API: idempotent scheduling, moving and cancelling, in the caller's transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import outbox
from storage.models import OutboxStatus
from storage.repositories import Repo
from tests.delivery_helpers import NOON, add_user, schedule_note


async def test_scheduling_the_same_key_twice_is_a_no_op(repo: Repo) -> None:
    await add_user(repo, 501)
    assert await schedule_note(repo, 501, 1, due_at=NOON)
    assert not await schedule_note(repo, 501, 1, due_at=NOON + timedelta(hours=5))

    [row] = await repo.outbox.for_subject("user:501")
    assert row.key == "note:501:1" and row.due_at == NOON and row.status == "pending"


async def test_a_rolled_back_change_leaves_no_message(repo: Repo) -> None:
    with pytest.raises(RuntimeError):
        async with repo.write():
            await outbox.schedule(
                repo, key="k:1", recipient_id=1, kind="test.note", due_at=NOON, now=NOON
            )
            raise RuntimeError("the use-case failed")
    assert await repo.outbox.by_key("k:1") is None


async def test_reschedule_moves_a_pending_message(repo: Repo) -> None:
    await schedule_note(repo, 502, 1, due_at=NOON)
    async with repo.write():
        assert await outbox.reschedule(repo, "note:502:1", NOON + timedelta(days=1), now=NOON)
    row = await repo.outbox.by_key("note:502:1")
    assert row is not None and row.due_at == NOON + timedelta(days=1)


async def test_cancel_by_key_and_by_subject(repo: Repo) -> None:
    for n in (1, 2, 3):
        await schedule_note(repo, 503, n, due_at=NOON)
    async with repo.write():
        assert await outbox.cancel(repo, "note:503:1", now=NOON)
        assert not await outbox.cancel(repo, "note:503:1", now=NOON)
        assert await outbox.cancel_subject(repo, "user:503", now=NOON) == 2

    rows = await repo.outbox.for_subject("user:503")
    assert [row.status for row in rows] == [OutboxStatus.CANCELLED] * 3
    assert await outbox.pending_for(repo, 503) == []
    assert not await schedule_note(repo, 503, 1, due_at=NOON)  # a cancelled key stays used
