"""With several processes, an update passes one gate in Redis on the way in and one on the way
out: two scripts, and the update waits for the answer of the first only.

On the way in, one script marks the update as seen (a repeat stops there), takes the person's
lock and reads their conversation state and data. On the way out, a second script writes what the
handlers changed in that state and data and gives the lock back. In between, the handlers read
and change the state through `GatedStorage`, which answers from what the first script read and
keeps the changes for the second; other people's state goes to Redis directly, as before.

The way out is sent without waiting for Redis's answer (over the gate's own connection,
`RedisLine.send_script`): the update is done once the script is written. Nothing needs that
answer: whoever comes in after it was run finds the person's state written and the lock free,
and whoever comes in before finds the lock taken and waits for it, as for an update still being
handled. The person's next update in this process is written after it on the same connection,
so Redis runs it after it. A way out that fails is logged (the lock then frees itself after
`LOCK_MILLISECONDS`, as it did when the update waited for the failure).

The lock, the keys and the stored values are those of aiogram's `RedisStorage` and
`RedisEventIsolation`, so a process without the gate (and the state already stored) still fits.
When the lock is taken (another update of the same person is being handled), the update waits
for it as aiogram does and reads the state after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.commands.core import AsyncScript

from bot.middlewares.redis_line import RedisLine

LOCK_MILLISECONDS = 60_000  # as aiogram's Redis lock: a crashed process frees it after a minute
REMEMBER_SECONDS = 24 * 3600  # how long a handled update is remembered, across processes


def seen_key(bot_id: int, update_id: int) -> str:
    """The Redis key that remembers an update was handled."""
    return f"samenspel:update:{bot_id}:{update_id}"


_ENTER = """
if redis.call('SET', KEYS[1], 1, 'NX', 'EX', ARGV[1]) == false then return {0} end
if KEYS[2] == '' then return {1} end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) == false then return {2} end
return {3, redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4])}
"""

# ARGV: token, then per key (state, data) an operation ('' keep, 's' set, 'd' delete), a value
# and a time to live in seconds (0: none).
_LEAVE = """
for i = 0, 1 do
  local op, value, ttl = ARGV[2 + i * 3], ARGV[3 + i * 3], tonumber(ARGV[4 + i * 3])
  if op == 's' then
    if ttl > 0 then redis.call('SET', KEYS[2 + i], value, 'EX', ttl)
    else redis.call('SET', KEYS[2 + i], value) end
  elseif op == 'd' then redis.call('DEL', KEYS[2 + i]) end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""


class Entry:
    """What the way in found."""

    REPEAT = 0  # handled before (here or in another process): drop it
    NO_PERSON = 1  # new, but the update has no person or chat: nothing to lock
    BUSY = 2  # new, and another update of the same person holds the lock
    OPEN = 3  # new, the lock is ours, and the state and data were read


@dataclass
class Pass:
    """One update's way through the gate: its key, lock token and conversation state."""

    key: StorageKey
    token: str
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    changed_state: bool = False
    changed_data: bool = False


def _text(value: Any) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _ttl(value: Any) -> int:
    if value is None:
        return 0
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else value
    return max(int(seconds), 1)


def _write(changed: bool, value: str | None, ttl: Any) -> list[Any]:
    """The leaving script's arguments for one key: keep it, set it (for `ttl`), or delete it
    (nothing left to keep, as aiogram's storage does)."""
    if not changed:
        return ["", "", 0]
    return ["d", "", 0] if value is None else ["s", value, _ttl(ttl)]


class RedisUpdateGate:
    def __init__(self, storage: RedisStorage, isolation: RedisEventIsolation) -> None:
        self.storage = storage
        self.isolation = isolation
        self.redis = storage.redis
        self._enter = self.redis.register_script(_ENTER)
        self._leave = self.redis.register_script(_LEAVE)
        # The two scripts of every update go over a lean connection of their own when it can
        # (plain TCP); everything else, and TLS or a socket path, goes through redis-py.
        self._line = RedisLine(self.redis) if RedisLine.usable(self.redis) else None

    async def _run(self, script: AsyncScript, keys: list[str], args: list[Any]) -> Any:
        if self._line is not None:
            return await self._line.script(script, keys, args)
        return await script(keys=keys, args=args)

    async def close(self) -> None:
        """Closes the gate's own connection once the ways out sent on it are answered (the
        storage's client closes with the storage)."""
        if self._line is not None:
            await self._line.finish()

    async def settled(self) -> None:
        """Waits until Redis has run every way out sent so far."""
        if self._line is not None:
            await self._line.answered()

    def _keys(self, key: StorageKey) -> list[str]:
        build = self.storage.key_builder.build
        return [
            self.isolation.key_builder.build(key, "lock"),
            build(key, "state"),
            build(key, "data"),
        ]

    async def enter(
        self, bot_id: int, update_id: int, key: StorageKey | None
    ) -> tuple[int, Pass | None]:
        """Marks the update seen, and (with a person) takes their lock and reads their state."""
        token = uuid.uuid4().hex
        lock, state, data = self._keys(key) if key is not None else ("", "", "")
        found = cast(
            list[Any],
            await self._run(
                self._enter,
                [seen_key(bot_id, update_id), lock, state, data],
                [REMEMBER_SECONDS, token, LOCK_MILLISECONDS],
            ),
        )
        entry = int(found[0])
        if entry != Entry.OPEN or key is None:
            return entry, (Pass(key, token) if key is not None else None)
        raw_data = _text(found[2])
        loaded = self.storage.json_loads(raw_data) if raw_data else {}
        return entry, Pass(key, token, _text(found[1]), loaded)

    async def wait_for_lock(self, passage: Pass) -> None:
        """The lock was taken: wait for it as aiogram's isolation does, then read the state."""
        lock = self.redis.lock(self._keys(passage.key)[0], timeout=LOCK_MILLISECONDS / 1000)
        await lock.acquire(token=passage.token)
        passage.state = await self.storage.get_state(passage.key)
        passage.data = await self.storage.get_data(passage.key)

    async def leave(self, passage: Pass) -> None:
        """Writes the state and data the handlers changed and gives the lock back; over the
        gate's own connection without waiting for Redis's answer."""
        data = self.storage.json_dumps(passage.data) if passage.data else None
        args: list[Any] = [
            passage.token,
            *_write(passage.changed_state, passage.state, self.storage.state_ttl),
            *_write(passage.changed_data, data, self.storage.data_ttl),
        ]
        keys = self._keys(passage.key)
        if self._line is not None:
            await self._line.send_script(self._leave, keys, args)
        else:
            await self._leave(keys=keys, args=args)


class GatedStorage(BaseStorage):
    """The storage handlers see during one update: the person's own state from the gate, the
    rest from Redis."""

    def __init__(self, storage: RedisStorage, passage: Pass) -> None:
        self.storage = storage
        self.passage = passage

    def _own(self, key: StorageKey) -> bool:
        return key == self.passage.key

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        if not self._own(key):
            await self.storage.set_state(key, state)
            return
        self.passage.state = state.state if isinstance(state, State) else state
        self.passage.changed_state = True

    async def get_state(self, key: StorageKey) -> str | None:
        if not self._own(key):
            return await self.storage.get_state(key)
        return self.passage.state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not self._own(key) or not isinstance(data, dict):  # not a dict: aiogram's refusal
            await self.storage.set_data(key, data)
            return
        self.passage.data = dict(data)
        self.passage.changed_data = True

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        if not self._own(key):
            return await self.storage.get_data(key)
        return dict(self.passage.data)

    async def close(self) -> None:
        return None  # the real storage is closed with the dispatcher
