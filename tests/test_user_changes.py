"""Several processes behind one webhook: a change to a person committed in one process is
announced over Redis, and another process forgets its copy of that person at once (not after
the cache's time to live); a statement that may touch anyone makes it forget everyone."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis
from sqlalchemy import update

from bot.services.known_users import KnownUsers
from bot.services.user_changes import UserChangeBroadcast
from storage.models import User
from storage.repositories import Repo
from tests.conftest import REDIS_URL

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _person(repo: Repo, user_id: int) -> User:
    async with repo.write():
        user, _created = await repo.users.ensure(
            user_id, first_name="Anna", last_name=None, username=None,
            telegram_language="nl", now=NOW,
        )  # fmt: skip
    return user


async def _until(condition: object, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.02)):
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.02)
    return False


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
async def test_another_process_forgets_a_changed_person_at_once(repo: Repo) -> None:
    channel = f"samenspel:test:{uuid.uuid4().hex}"
    assert REDIS_URL is not None
    here, there = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    other_cache = KnownUsers(ttl=3600)  # the other process's copy of who wrote a moment ago

    def forget_there(user_ids: object) -> None:
        for user_id in user_ids:  # type: ignore[attr-defined]
            other_cache.forget(user_id)

    this_process = UserChangeBroadcast(here, channel=channel)
    other_process = UserChangeBroadcast(
        there, channel=channel, forget_people=forget_there,
        forget_everyone=other_cache.forget_everyone,
    )  # fmt: skip
    await this_process.start()
    await other_process.start()
    try:
        anna = await _person(repo, 880_101)
        bert = await _person(repo, 880_102)
        other_cache.keep(anna)
        other_cache.keep(bert)

        async with repo.write():
            changed = await repo.users.get(anna.id)
            assert changed is not None
            changed.language = "en"

        assert await _until(lambda: other_cache.get(anna.id) is None)
        assert other_cache.get(bert.id) is not None  # only who changed is forgotten

        # A statement that may touch anyone: everyone is forgotten.
        other_cache.keep(anna)
        async with repo.write():
            await repo.session.execute(update(User).where(User.id == bert.id).values(language="nl"))
        assert await _until(lambda: len(other_cache) == 0)
    finally:
        await this_process.stop()
        await other_process.stop()
        await here.aclose()
        await there.aclose()


def test_an_announcement_from_itself_or_garbage_changes_nothing() -> None:
    forgotten: list[int] = []
    everyone: list[bool] = []
    broadcast = UserChangeBroadcast(
        Redis(), forget_people=lambda ids: forgotten.extend(ids),
        forget_everyone=lambda: everyone.append(True),
    )  # fmt: skip
    broadcast.hear(b"not json")
    broadcast.hear(b'["a list"]')
    broadcast.hear(b'{"from": "elsewhere", "ids": [1, "x", 2]}')
    broadcast.hear(b'{"from": "elsewhere", "ids": null}')
    own = broadcast._origin
    broadcast.hear(f'{{"from": "{own}", "ids": [3]}}'.encode())
    assert forgotten == [1, 2]
    assert everyone == [True]
    assert broadcast.heard == 2
