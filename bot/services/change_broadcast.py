"""Several bot processes behind one webhook each keep copies: the people they saw a moment ago
(`known_users`) and the search index. A change committed in one process is announced over Redis
pub/sub, and every other process acts on it at once instead of after a while: a changed person
is forgotten (instead of after the cache's time to live), and a change to what the search shows
makes the index ask the database's version before its next answer (instead of after
`RECHECK_SECONDS`). One PUBLISH per committed change, nothing for the updates that change
nothing.

An announcement that gets lost (Redis away for a moment) costs at most the time to live or
`RECHECK_SECONDS`; a process that can't subscribe keeps working on those."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.services import known_users
from bot.services.search import index_sync
from storage.models import search as search_changes

logger = logging.getLogger(__name__)

CHANNEL = "samenspel:changes"
RETRY_SECONDS = 1.0


class ChangeBroadcast:
    """Announces this process's changes to people and to the search, and acts on those of the
    others."""

    def __init__(
        self,
        redis: Redis,
        *,
        channel: str = CHANNEL,
        forget_people: Callable[[Iterable[int]], None] = known_users.forget_people,
        forget_everyone: Callable[[], None] = known_users.forget_everyone,
        search_changed: Callable[[], None] = index_sync.changed_elsewhere,
    ) -> None:
        self._redis = redis
        self._channel = channel
        self._forget_people = forget_people
        self._forget_everyone = forget_everyone
        self._search_changed = search_changed
        self._origin = uuid.uuid4().hex  # its own announcements come back: they are skipped
        self._publishing: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._stop_announcing: list[Callable[[], None]] = []
        self.heard = 0

    # Announcing ------------------------------------------------------------------------------

    def announce(self, user_ids: frozenset[int] | None) -> None:
        """After a commit that changed people (None: anyone): publish in the background."""
        ids = None if user_ids is None else sorted(user_ids)
        self._send({"from": self._origin, "ids": ids})

    def announce_search(self) -> None:
        """After a commit that changed what the search shows: publish in the background."""
        self._send({"from": self._origin, "search": True})

    def _send(self, message: dict[str, Any]) -> None:
        # Called after a commit, where nothing can be awaited.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a command-line tool): nobody else to tell
        task = loop.create_task(self._publish(json.dumps(message)))
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)

    async def _publish(self, payload: str) -> None:
        try:
            await self._redis.publish(self._channel, payload)
        except (RedisError, OSError) as problem:
            logger.warning("a change could not be announced: %s", type(problem).__name__)

    # Listening -------------------------------------------------------------------------------

    async def start(self, **_: Any) -> None:
        """Subscribe, and announce this process's changes from now on."""
        if self._listener is not None:
            return
        ready = asyncio.get_running_loop().create_future()
        self._listener = asyncio.create_task(self._listen(ready))
        await ready
        self._stop_announcing = [
            known_users.on_change(self.announce),
            search_changes.on_commit(self.announce_search),
        ]

    async def _listen(self, ready: asyncio.Future[None]) -> None:
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                if not ready.done():
                    ready.set_result(None)
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message is not None:
                        self.hear(message["data"])
            except (RedisError, OSError) as problem:
                logger.warning("listening for changes: %s", type(problem).__name__)
                if not ready.done():
                    ready.set_result(None)  # start anyway: the time to live still holds
                # Whatever was announced meanwhile is lost: forget everyone, ask the version.
                self._forget_everyone()
                self._search_changed()
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def hear(self, data: bytes | str) -> None:
        """One announcement: the search changed, or forget the people it names (everyone for
        None)."""
        try:
            message = json.loads(data)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("from") == self._origin:
            return
        ids = message.get("ids", False)  # None: anyone
        if message.get("search") is True:
            self._search_changed()
        elif ids is None:
            self._forget_everyone()
        elif isinstance(ids, list):
            self._forget_people(int(user_id) for user_id in ids if isinstance(user_id, int))
        else:
            return  # nothing this process knows how to act on
        self.heard += 1

    async def stop(self, **_: Any) -> None:
        for stop_announcing in self._stop_announcing:
            stop_announcing()
        self._stop_announcing = []
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._publishing:
            await asyncio.gather(*self._publishing, return_exceptions=True)
