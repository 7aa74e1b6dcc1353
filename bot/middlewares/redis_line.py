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

A call whose answer nobody needs at once (the gate's way out) can be sent without waiting for
it (`send_script`): the caller goes on as soon as it is written, and calls written after it run
after it in Redis. Its answer is looked at when it comes in: a script Redis forgot is sent
again whole, an error is logged. `answered` waits for those answers, and `finish` does so before
it closes the line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
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

logger = logging.getLogger(__name__)


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
        # Scripts Redis ran on this connection, so known to it by their SHA1.
        self.known_scripts: set[str] = set()

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
        # Calls sent without waiting whose answer has not come in yet.
        self._unanswered: set[asyncio.Future[Reply]] = set()

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
            reply = await self._call(_pack(["EVALSHA", script.sha, *tail]))
        except NoScriptError:
            reply = await self._call(_pack(["EVAL", script.script, *tail]))
        if self._protocol is not None:
            self._protocol.known_scripts.add(script.sha)
        return reply

    async def send_script(
        self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | int]
    ) -> None:
        """Sends a script call without waiting for its answer: returns once it is written (or,
        when the line has no connection, once it has one and it is written). Calls written after
        it on this line run after it in Redis. A script not yet run on this connection goes
        whole, so that it is known to Redis before anything comes after it; when the answer comes
        in, a script Redis forgot meanwhile (`SCRIPT FLUSH`) is sent again whole, and an error is
        logged."""
        tail = [len(keys), *keys, *args]
        protocol = await self._connected()
        whole = _pack(["EVAL", script.script, *tail])
        if script.sha in protocol.known_scripts:
            waiter = self._write(protocol, _pack(["EVALSHA", script.sha, *tail]))
            self._await_answer(protocol, waiter, script.sha, whole)
        else:
            self._await_answer(protocol, self._write(protocol, whole), script.sha, None)

    def _await_answer(
        self,
        protocol: _LineProtocol,
        waiter: asyncio.Future[Reply],
        sha: str,
        again: bytes | None,
    ) -> None:
        self._unanswered.add(waiter)

        def answered(done: asyncio.Future[Reply]) -> None:
            self._unanswered.discard(done)
            if done.cancelled():
                return
            reply = done.exception() or done.result()
            if not isinstance(reply, Exception):
                protocol.known_scripts.add(sha)
                return
            if isinstance(reply, NoScriptError) and again is not None:
                protocol.known_scripts.discard(sha)
                self._await_answer(protocol, self._write(protocol, again), sha, None)
                return
            logger.warning("a call to Redis sent without waiting failed: %s", type(reply).__name__)

        waiter.add_done_callback(answered)

    async def answered(self, timeout: float | None = None) -> None:
        """Waits (at most `timeout` s) until Redis has answered every call sent without
        waiting (`send_script`), a script sent again included."""
        deadline = None if timeout is None else asyncio.get_running_loop().time() + timeout
        while self._unanswered:
            left = None if deadline is None else deadline - asyncio.get_running_loop().time()
            if left is not None and left <= 0:
                return
            await asyncio.wait(set(self._unanswered), timeout=left)

    async def finish(self, timeout: float = 2.0) -> None:
        """Closes the line once the calls sent without waiting are answered (at most `timeout`
        s): nothing written is cut off, and no answer arrives to a closed line."""
        await self.answered(timeout)
        self.close()

    async def _connected(self) -> _LineProtocol:
        protocol = self._protocol
        if protocol is None or protocol.closed or self._loop is not asyncio.get_running_loop():
            protocol = await self._connect()
        return protocol

    @staticmethod
    def _write(protocol: _LineProtocol, command: bytes) -> asyncio.Future[Reply]:
        """Every command of the line is written here (its future gets the answer)."""
        return _send(protocol, command)

    async def _call(self, command: bytes) -> Reply:
        waiter = self._write(await self._connected(), command)
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
