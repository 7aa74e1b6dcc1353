"""Several processes behind one webhook: a change to a person committed in one process is
announced over Redis, and another process forgets its copy of that person at once (not after
the cache's time to live); a statement that may touch anyone makes it forget everyone. A change
to what the search shows is announced too, and another process's results follow it at once
(not after `RECHECK_SECONDS`)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis
from sqlalchemy import update

from bot.clock import FakeClock
from bot.services.change_broadcast import ChangeBroadcast
from bot.services.initiatives import profiles as initiatives
from bot.services.known_users import KnownUsers
from bot.services.search import discover, index_sync
from bot.services.search.index_sync import SearchIndexHolder
from storage.models import User
from storage.repositories import Repo
from tests.conftest import REDIS_URL
from tests.initiatives_support import add_initiative

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

    this_process = ChangeBroadcast(here, channel=channel)
    other_process = ChangeBroadcast(
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


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
async def test_another_process_lists_what_the_search_shows_as_soon_as_a_change_is_announced(
    repo: Repo, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process searched a moment ago, so without a word it would trust its index for
    `RECHECK_SECONDS` and still list a profile taken offline: the announcement makes it ask."""
    ident = (await add_initiative(repo, clock.now())).id
    seconds = [0.0]  # the other process's clock stands still: only the announcement can help
    other_index = SearchIndexHolder(monotonic=lambda: seconds[0])

    async def listed_there(words: str) -> list[str]:
        page = await discover.search(repo, other_index, words)
        return [item.name for item in page.items]

    assert await listed_there("repareren") == ["Repair Café Lombok"]
    # What this process commits is not counted in the other one.
    frozen = index_sync.changes_committed_here()
    monkeypatch.setattr(index_sync, "changes_committed_here", lambda: frozen)
    channel = f"samenspel:test:{uuid.uuid4().hex}"
    assert REDIS_URL is not None
    here, there = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    # Both run in this test's process: only the other one acts on what it hears.
    this_process = ChangeBroadcast(here, channel=channel, search_changed=lambda: None)
    other_process = ChangeBroadcast(there, channel=channel)
    await this_process.start()
    await other_process.start()
    try:
        await initiatives.set_hidden(repo, ident, 1, hidden=True, now=clock.now())
        assert await _until(lambda: other_process.heard >= 1)
        assert await listed_there("repareren") == []
        await initiatives.set_hidden(repo, ident, 1, hidden=False, now=clock.now())
        assert await _until(lambda: other_process.heard >= 2)
        assert await listed_there("repareren") == ["Repair Café Lombok"]
    finally:
        await this_process.stop()
        await other_process.stop()
        await here.aclose()
        await there.aclose()


def test_an_announcement_from_itself_or_garbage_changes_nothing() -> None:
    forgotten: list[int] = []
    everyone: list[bool] = []
    searches: list[bool] = []
    broadcast = ChangeBroadcast(
        Redis(), forget_people=lambda ids: forgotten.extend(ids),
        forget_everyone=lambda: everyone.append(True),
        search_changed=lambda: searches.append(True),
    )  # fmt: skip
    broadcast.hear(b"not json")
    broadcast.hear(b'["a list"]')
    broadcast.hear(b'{"from": "elsewhere"}')
    broadcast.hear(b'{"from": "elsewhere", "ids": "everyone"}')
    broadcast.hear(b'{"from": "elsewhere", "search": "yes"}')
    broadcast.hear(b'{"from": "elsewhere", "ids": [1, "x", 2]}')
    broadcast.hear(b'{"from": "elsewhere", "ids": null}')
    broadcast.hear(b'{"from": "elsewhere", "search": true}')
    own = broadcast._origin
    broadcast.hear(f'{{"from": "{own}", "ids": [3]}}'.encode())
    broadcast.hear(f'{{"from": "{own}", "search": true}}'.encode())
    assert forgotten == [1, 2]
    assert everyone == [True]
    assert searches == [True]
    assert broadcast.heard == 3
