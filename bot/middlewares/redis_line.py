"""One lean connection to Redis for the update gate's two scripts.

Every update runs two scripts in Redis (`update_gate`). Through redis-py a call costs about
115 µs of CPU, of which the round trip itself is a third (the rest: taking and giving back a
pooled connection, command objects, its reply parser, its timing hooks). This line writes a
script call straight onto one connection and reads the replies as they come in (about 45 µs a
call): Redis answers the commands of one connection in the order they were sent, so many
updates of the process share it, one after the other without waiting for each other.

It speaks RESP2, calls a script by its SHA1 and sends the whole script once when Redis does not
know it (after a restart or `SCRIPT FLUSH`). A lost connection fails the calls under way with
redis-py's `ConnectionError` (redis-py would send them again, and a script that did run would
then find its own update "seen" and drop it), and the next call connects again; a connection
Redis closed while idle (a restart) is noticed before anything is sent on it. The client's
`socket_timeout` and `socket_connect_timeout` hold here too. Only a plain TCP connection goes
this way (`usable`); TLS or a Unix socket stay with redis-py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.connection import Connection
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

Reply = Any


def _pack(parts: Sequence[str | bytes | memoryview | int]) -> bytes:
    """A command in RESP: an array of bulk strings."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = bytes(part) if isinstance(part, bytes | memoryview) else str(part).encode("utf-8")
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class _Incomplete(Exception):
    """The buffer ends in the middle of a reply."""


def _parse(buffer: bytearray, start: int) -> tuple[Reply, int]:
    """One reply from `buffer` at `start`, and where the next one begins."""
    end = buffer.find(b"\r\n", start)
    if end < 0:
        raise _Incomplete
    kind, line = buffer[start], bytes(buffer[start + 1 : end])
    after = end + 2
    if kind == 0x3A:  # ":" integer
        return int(line), after
    if kind == 0x24:  # "$" bulk string
        size = int(line)
        if size < 0:
            return None, after
        if len(buffer) < after + size + 2:
            raise _Incomplete
        return bytes(buffer[after : after + size]), after + size + 2
    if kind == 0x2A:  # "*" array
        count = int(line)
        if count < 0:
            return None, after
        items = []
        for _ in range(count):
            item, after = _parse(buffer, after)
            items.append(item)
        return items, after
    if kind == 0x2B:  # "+" simple string
        return line.decode("utf-8"), after
    if kind == 0x2D:  # "-" error
        text = line.decode("utf-8", "replace")
        return (NoScriptError(text) if text.startswith("NOSCRIPT") else ResponseError(text)), after
    raise RedisConnectionError(f"unexpected reply from Redis ({chr(kind)!r})")


class _LineProtocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiting: deque[asyncio.Future[Reply]] = deque()
        self.buffer = bytearray()
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        start = 0
        try:
            while start < len(self.buffer) and self.waiting:
                reply, start = _parse(self.buffer, start)
                waiter = self.waiting.popleft()
                if not waiter.done():
                    waiter.set_result(reply)
        except _Incomplete:
            pass
        except RedisConnectionError as problem:
            self._fail(problem)
            if self.transport is not None:
                self.transport.close()
        del self.buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(RedisConnectionError(f"connection to Redis lost ({exc or 'closed'})"))

    def _fail(self, problem: Exception) -> None:
        while self.waiting:
            waiter = self.waiting.popleft()
            if not waiter.done():
                waiter.set_exception(problem)


def _send(protocol: _LineProtocol, command: bytes) -> asyncio.Future[Reply]:
    """Writes a command; the future gets its reply (an error reply as an exception object)."""
    waiter: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
    if protocol.transport is None or protocol.closed:
        waiter.set_exception(RedisConnectionError("connection to Redis lost"))
        return waiter
    protocol.waiting.append(waiter)
    protocol.transport.write(command)
    return waiter


def _raised(reply: Reply) -> Reply:
    if isinstance(reply, Exception):
        raise reply
    return reply


class RedisLine:
    """Script calls over one pipelined connection to the Redis of a redis-py client."""

    def __init__(self, redis: Redis) -> None:
        self._kwargs = dict(redis.connection_pool.connection_kwargs)
        self._timeout: float | None = self._kwargs.get("socket_timeout")
        self._protocol: _LineProtocol | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connecting: asyncio.Lock | None = None

    @staticmethod
    def usable(redis: Redis) -> bool:
        """Whether the client connects over plain TCP (TLS and Unix sockets stay with it)."""
        return redis.connection_pool.connection_class is Connection

    async def script(
        self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | int]
    ) -> Reply:
        """Runs a script registered with redis-py (`Redis.register_script`), by its SHA1 and
        with the whole source only when Redis does not know it, as redis-py's call would."""
        tail = [len(keys), *keys, *args]
        try:
            return await self._call(_pack(["EVALSHA", script.sha, *tail]))
        except NoScriptError:
            return await self._call(_pack(["EVAL", script.script, *tail]))

    async def _call(self, command: bytes) -> Reply:
        protocol = self._protocol
        if protocol is None or protocol.closed or self._loop is not asyncio.get_running_loop():
            protocol = await self._connect()
        waiter = _send(protocol, command)
        if self._timeout is None:
            return _raised(await waiter)
        try:
            return _raised(await asyncio.wait_for(waiter, self._timeout))
        except TimeoutError as problem:
            self.close()  # what arrives later would answer nobody: start afresh
            raise RedisTimeoutError("Redis did not answer in time") from problem

    async def _connect(self) -> _LineProtocol:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a connection belongs to the loop that made it
            self.close()
            self._loop, self._connecting = loop, asyncio.Lock()
        assert self._connecting is not None
        async with self._connecting:
            if self._protocol is not None and not self._protocol.closed:
                return self._protocol
            kwargs = self._kwargs
            host, port = kwargs.get("host", "localhost"), kwargs.get("port", 6379)
            timeout = kwargs.get("socket_connect_timeout") or self._timeout
            try:
                connecting = loop.create_connection(_LineProtocol, host, port)
                transport, protocol = await asyncio.wait_for(connecting, timeout)
            except (OSError, TimeoutError) as problem:
                raise RedisConnectionError(f"cannot connect to Redis ({problem})") from problem
            # Sent together and answered before anyone else may use the connection.
            try:
                for reply in [_send(protocol, _pack(command)) for command in self._setup()]:
                    _raised(await reply)
            except ResponseError as problem:  # a wrong password or database, as redis-py says
                transport.close()
                raise RedisConnectionError(f"Redis refused the connection ({problem})") from problem
            except BaseException:
                transport.close()
                raise
            self._protocol = protocol
            return protocol

    def _setup(self) -> list[list[str | int]]:
        """What a new connection is told first: who we are, and which database."""
        kwargs, commands = self._kwargs, []
        password, user = kwargs.get("password"), kwargs.get("username")
        if password:
            commands.append(["AUTH", user, password] if user else ["AUTH", password])
        if kwargs.get("db"):
            commands.append(["SELECT", int(kwargs["db"])])
        return commands

    def close(self) -> None:
        protocol, self._protocol = self._protocol, None
        if protocol is not None and protocol.transport is not None:
            with contextlib.suppress(RuntimeError):  # its loop may have ended already
                protocol.transport.close()
