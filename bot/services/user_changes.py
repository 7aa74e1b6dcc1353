"""Several bot processes behind one webhook each keep the people they saw a moment ago
(`known_users`). A change to a person committed in one process (a new language, a role, an
erasure) is announced over Redis pub/sub, and every other process forgets its copy at once,
instead of after the cache's time to live. One PUBLISH per committed change to people, nothing
for the updates that change nobody.

An announcement that gets lost (Redis away for a moment) costs at most the cache's time to
live; a process that can't subscribe keeps working on that time to live."""

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

logger = logging.getLogger(__name__)

CHANNEL = "samenspel:users:changed"
RETRY_SECONDS = 1.0


class UserChangeBroadcast:
    """Announces this process's changes to people and forgets those of the others."""

    def __init__(
        self,
        redis: Redis,
        *,
        channel: str = CHANNEL,
        forget_people: Callable[[Iterable[int]], None] = known_users.forget_people,
        forget_everyone: Callable[[], None] = known_users.forget_everyone,
    ) -> None:
        self._redis = redis
        self._channel = channel
        self._forget_people = forget_people
        self._forget_everyone = forget_everyone
        self._origin = uuid.uuid4().hex  # its own announcements come back: they are skipped
        self._publishing: set[asyncio.Task[None]] = set()
        self._listener: asyncio.Task[None] | None = None
        self._stop_announcing: Callable[[], None] | None = None
        self.heard = 0

    # Announcing ------------------------------------------------------------------------------

    def announce(self, user_ids: frozenset[int] | None) -> None:
        """After a commit (where nothing can be awaited): publish in the background."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a command-line tool): nobody else to tell
        ids = None if user_ids is None else sorted(user_ids)
        payload = json.dumps({"from": self._origin, "ids": ids})
        task = loop.create_task(self._publish(payload))
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)

    async def _publish(self, payload: str) -> None:
        try:
            await self._redis.publish(self._channel, payload)
        except (RedisError, OSError) as problem:
            logger.warning("a change to people could not be announced: %s", type(problem).__name__)

    # Listening -------------------------------------------------------------------------------

    async def start(self, **_: Any) -> None:
        """Subscribe, and announce this process's changes from now on."""
        if self._listener is not None:
            return
        ready = asyncio.get_running_loop().create_future()
        self._listener = asyncio.create_task(self._listen(ready))
        await ready
        self._stop_announcing = known_users.on_change(self.announce)

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
                logger.warning("listening for changes to people: %s", type(problem).__name__)
                if not ready.done():
                    ready.set_result(None)  # start anyway: the time to live still holds
                # Whatever was announced meanwhile is lost: forget everyone to be safe.
                self._forget_everyone()
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def hear(self, data: bytes | str) -> None:
        """One announcement: forget the people it names (everyone for None)."""
        try:
            message = json.loads(data)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("from") == self._origin:
            return
        ids = message.get("ids")
        if ids is None:
            self._forget_everyone()
        elif isinstance(ids, list):
            self._forget_people(int(user_id) for user_id in ids if isinstance(user_id, int))
        self.heard += 1

    async def stop(self, **_: Any) -> None:
        if self._stop_announcing is not None:
            self._stop_announcing()
            self._stop_announcing = None
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._publishing:
            await asyncio.gather(*self._publishing, return_exceptions=True)
