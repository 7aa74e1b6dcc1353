"""The update gate's own connection to Redis: replies reach the call that asked, also when many
updates share the connection at once; a script Redis forgot is sent again; a lost connection
fails what was under way with redis-py's error and the next call connects again; a call sent
without waiting runs in order, its answer looked at when it comes (sent again whole, or logged)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.middlewares.redis_line import RedisLine, _LineProtocol, _pack
from tests.conftest import REDIS_URL


def _script(source: str) -> AsyncScript:
    return Redis().register_script(source)  # a client that never connects: only the script


ECHO = _script("return {KEYS[1], ARGV[1], tonumber(ARGV[2]) * 2}")
COUNT = _script("return redis.call('INCRBY', KEYS[1], ARGV[1])")


def test_replies_split_anywhere_come_out_whole_and_in_order() -> None:
    protocol = _LineProtocol()
    loop = asyncio.new_event_loop()
    try:
        waiters = [loop.create_future() for _ in range(5)]
        protocol.waiting.extend(waiters)
        wire = (
            b"*3\r\n:3\r\n$5\r\nhallo\r\n$-1\r\n"
            b"+OK\r\n"
            b"-NOSCRIPT No matching script\r\n"
            b"*2\r\n*1\r\n:1\r\n$0\r\n\r\n"
            b"-ERR wrong number of arguments\r\n"
        )
        for byte in range(len(wire)):  # the worst case: one byte at a time
            protocol.data_received(wire[byte : byte + 1])
        replies = [waiter.result() for waiter in waiters]
    finally:
        loop.close()
    assert replies[:2] == [[3, b"hallo", None], "OK"]
    assert type(replies[2]).__name__ == "NoScriptError"
    assert replies[3] == [[1], b""]
    assert isinstance(replies[4], ResponseError)
    assert str(replies[4]) == "ERR wrong number of arguments"
    assert not protocol.buffer and not protocol.waiting


def test_a_command_goes_as_an_array_of_bulk_strings() -> None:
    assert _pack(["EVALSHA", "ab", 1, "sleutel", "één"]) == (
        b"*5\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$1\r\n1\r\n$7\r\nsleutel\r\n$5\r\n\xc3\xa9\xc3\xa9n\r\n"
    )


needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(str(REDIS_URL))
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def line(redis: Redis) -> Iterator[RedisLine]:
    """A line to the test's Redis database, closed afterwards."""
    made = RedisLine(redis)
    yield made
    made.close()


@needs_redis
async def test_many_calls_at_once_each_get_their_own_reply(redis: Redis, line: RedisLine) -> None:
    replies = await asyncio.gather(
        *(line.script(ECHO, [f"sleutel-{n}"], [f"waarde-{n}", n]) for n in range(300))
    )
    assert replies == [[f"sleutel-{n}".encode(), f"waarde-{n}".encode(), 2 * n] for n in range(300)]
    # The same database as the client it came from (REDIS_URL may name another than 0).
    await asyncio.gather(*(line.script(COUNT, ["teller"], [1]) for _ in range(50)))
    assert await redis.get("teller") == b"50"


@needs_redis
async def test_a_script_redis_forgot_is_sent_again_and_an_error_is_raised_to_its_caller(
    redis: Redis, line: RedisLine
) -> None:
    assert await line.script(COUNT, ["teller"], [2]) == 2
    await redis.script_flush()
    assert await line.script(COUNT, ["teller"], [3]) == 5
    with pytest.raises(ResponseError):
        await line.script(_script("return redis.call('INCRBY', KEYS[1], 'x')"), ["teller"], [])
    assert await line.script(COUNT, ["teller"], [1]) == 6  # the line goes on


@needs_redis
async def test_a_lost_connection_fails_what_was_under_way_and_the_next_call_connects_again(
    redis: Redis, line: RedisLine
) -> None:
    assert await line.script(COUNT, ["teller"], [1]) == 1
    # A command that waits in Redis until something arrives (nothing will).
    waiting = asyncio.create_task(line._call(_pack(["BLPOP", "leeg", 10])))
    blocked: list[int] = []
    for _ in range(100):
        await asyncio.sleep(0.01)
        clients = await redis.client_list()
        blocked = [int(client["id"]) for client in clients if client["cmd"] == "blpop"]
        if blocked:
            break
    await redis.client_kill_filter(_id=blocked[0])  # as Redis does when it restarts
    with pytest.raises(RedisConnectionError):
        await waiting
    assert await line.script(COUNT, ["teller"], [1]) == 2


@needs_redis
async def test_a_call_sent_without_waiting_runs_in_order_and_its_answer_is_awaited_later(
    line: RedisLine,
) -> None:
    await line.send_script(COUNT, ["teller"], [2])  # before the line had a connection
    for _ in range(20):
        await line.send_script(COUNT, ["teller"], [1])
    # A call that waits, written after them, finds them run.
    assert await line.script(COUNT, ["teller"], [0]) == 22
    await line.answered()
    assert not line._unanswered


@needs_redis
async def test_a_script_redis_forgot_sent_without_waiting_is_sent_again_whole(
    redis: Redis, line: RedisLine, caplog: pytest.LogCaptureFixture
) -> None:
    assert await line.script(COUNT, ["teller"], [1]) == 1
    await redis.script_flush()
    await line.send_script(COUNT, ["teller"], [5])
    await line.answered()
    assert await redis.get("teller") == b"6"  # run once, not twice, not lost
    assert not caplog.records


@needs_redis
async def test_a_call_sent_without_waiting_that_fails_is_logged_and_the_line_goes_on(
    line: RedisLine, caplog: pytest.LogCaptureFixture
) -> None:
    failing = _script("return redis.call('INCRBY', KEYS[1], 'x')")
    await line.send_script(failing, ["teller"], [])
    await line.answered()
    assert [r.getMessage() for r in caplog.records] == [
        "a call to Redis sent without waiting failed: ResponseError"
    ]
    assert await line.script(COUNT, ["teller"], [3]) == 3


@needs_redis
async def test_finishing_the_line_waits_for_the_answers_of_what_was_sent(
    redis: Redis, line: RedisLine, caplog: pytest.LogCaptureFixture
) -> None:
    await line.script(COUNT, ["teller"], [1])
    for _ in range(50):
        await line.send_script(COUNT, ["teller"], [1])
    await line.finish()
    assert await redis.get("teller") == b"51"
    assert not line._unanswered and not caplog.records
    assert line._protocol is None  # closed; a later call connects again
    assert await line.script(COUNT, ["teller"], [1]) == 52


async def test_an_unreachable_redis_is_redis_pys_connection_error() -> None:
    line = RedisLine(Redis(host="127.0.0.1", port=1))
    with pytest.raises(RedisConnectionError):
        await line.script(COUNT, ["teller"], [1])


@needs_redis
async def test_no_answer_within_the_clients_socket_timeout_is_redis_pys_timeout_error(
    redis: Redis,
) -> None:
    impatient = Redis.from_url(str(REDIS_URL), socket_timeout=0.2)
    line = RedisLine(impatient)
    try:
        with pytest.raises(RedisTimeoutError):
            await line._call(_pack(["BLPOP", "leeg", 5]))
        assert await line.script(COUNT, ["teller"], [4]) == 4
    finally:
        line.close()
        await impatient.aclose()


@needs_redis
async def test_a_line_used_on_another_event_loop_connects_there(line: RedisLine) -> None:
    assert await line.script(COUNT, ["teller"], [1]) == 1

    async def elsewhere() -> int:
        try:
            return int(await line.script(COUNT, ["teller"], [1]))
        finally:
            line.close()  # before that loop ends

    assert await asyncio.to_thread(asyncio.run, elsewhere()) == 2
    assert await line.script(COUNT, ["teller"], [1]) == 3


@pytest.fixture
async def redis_with_password(tmp_path: Path) -> AsyncIterator[int]:
    """A Redis server of the test's own that asks for a password; its port."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no redis-server here")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    process = await asyncio.create_subprocess_exec(
        server, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", "geheim",
        "--save", "", "--appendonly", "no", "--dir", str(tmp_path),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.05)
        yield port
    finally:
        process.terminate()
        await process.wait()


async def test_a_redis_with_a_password_is_told_it_and_a_wrong_one_is_a_connection_error(
    redis_with_password: int,
) -> None:
    for url in (
        f"redis://:geheim@127.0.0.1:{redis_with_password}/2",
        f"redis://default:geheim@127.0.0.1:{redis_with_password}/3",
    ):
        client = Redis.from_url(url)
        line = RedisLine(client)
        try:
            assert await line.script(COUNT, ["teller"], [7]) == 7
            assert await client.get("teller") == b"7"  # in the database the URL names
        finally:
            line.close()
            await client.aclose()
    wrong = Redis.from_url(f"redis://:fout@127.0.0.1:{redis_with_password}/2")
    try:
        with pytest.raises(RedisConnectionError):
            await RedisLine(wrong).script(COUNT, ["teller"], [1])
    finally:
        await wrong.aclose()
