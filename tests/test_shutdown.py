"""A deploy loses nothing: the real process, in webhook mode, takes 60 updates, gets SIGTERM
while their replies are still on their way, and every one of the 60 is answered before it
exits. `/healthz` and `/readyz` answer a process supervisor and a proxy."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from bot.runner import READY_PATH, WEBHOOK_PATH
from tests.fake_telegram import FakeTelegram, start_update
from webapp.server import HEALTH_PATH

SECRET = "deploy-test-secret"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _wait_ready(session: aiohttp.ClientSession, base: str) -> None:
    for _ in range(300):
        try:
            async with session.get(base + READY_PATH) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("the process never became ready")


async def test_sigterm_finishes_every_update_already_taken(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    async with FakeTelegram(send_delay=0.4) as api:
        env = {
            **os.environ,
            "BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
            "TELEGRAM_API_URL": api.url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'deploy.db'}",
            "WEBHOOK_URL": "https://bot.example.org",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "REDIS_URL": "",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            async with aiohttp.ClientSession() as session:
                await _wait_ready(session, base)
                async with session.get(base + HEALTH_PATH) as alive:
                    assert (alive.status, await alive.json()) == (200, {"status": "alive"})
                async with session.get(base + READY_PATH) as ready:
                    assert await ready.json() == {"ready": True, "problems": []}
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

                async def post(n: int) -> int:
                    update = start_update(1000 + n, 70_000 + n)
                    async with session.post(base + WEBHOOK_PATH, json=update, headers=headers) as r:
                        return r.status

                statuses = await asyncio.gather(*(post(n) for n in range(60)))
                assert set(statuses) == {200}
                in_flight = 60 - len(api.sent_of("sendMessage"))
                process.send_signal(signal.SIGTERM)
                _out, err = await asyncio.wait_for(process.communicate(), 60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0, err.decode()[-2000:]
        assert in_flight > 0, "the signal came after everything was answered: nothing tested"
        answered = sorted(int(s.payload["chat_id"]) for s in api.sent_of("sendMessage"))
        assert answered == [70_000 + n for n in range(60)]
