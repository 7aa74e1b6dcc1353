"""A small HTTP server that speaks enough of the Bot API for end-to-end tests and benchmarks:
it hands out queued updates through getUpdates and records everything the bot sends."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT = {"id": 42, "is_bot": True, "first_name": "Samenspel", "username": "samenspel_test_bot"}


@dataclass
class Sent:
    method: str
    payload: dict[str, Any]
    at: float
    content_type: str = ""


@dataclass
class FakeTelegram:
    """Run with `async with FakeTelegram() as api:`; point TELEGRAM_API_URL at `api.url`."""

    host: str = "127.0.0.1"
    updates: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    sent: list[Sent] = field(default_factory=list)
    # A hook may answer a request itself (e.g. with a 429); None lets the default answer it.
    hook: Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]] | None] | None = None
    url: str = ""
    # Seconds each sent message takes to answer, as over a slow network.
    send_delay: float = 0.0
    _runner: web.AppRunner | None = None
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://{self.host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def sent_of(self, method: str) -> list[Sent]:
        return [s for s in self.sent if s.method == method]

    async def _payload(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        return {key: value for key, value in form.items() if isinstance(value, str)}

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        payload = await self._payload(request)
        if self.hook is not None:
            answer = self.hook(method, payload)
            if answer is not None:
                status, body = answer
                return web.json_response(body, status=status)
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._updates(payload)})
        result: Any = True
        if method == "getMe":
            result = BOT
        elif method.startswith("send"):
            await asyncio.sleep(self.send_delay)
            self.sent.append(Sent(method, payload, time.monotonic(), request.content_type))
            result = self._message(payload)
        elif method not in ("deleteWebhook", "setWebhook", "close", "logOut"):
            self.sent.append(Sent(method, payload, time.monotonic(), request.content_type))
        return web.json_response({"ok": True, "result": result})

    async def _updates(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        timeout = min(float(payload.get("timeout", 0) or 0), 0.5)
        try:
            first = await asyncio.wait_for(self.updates.get(), timeout=max(timeout, 0.05))
        except TimeoutError:
            return []
        batch = [first]
        while not self.updates.empty():
            batch.append(self.updates.get_nowait())
        return batch

    def _message(self, payload: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(payload.get("chat_id", 0))
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT,
            "text": payload.get("text", ""),
        }


def start_update(
    update_id: int, user_id: int, text: str = "/start", language: str = "nl"
) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Anna", "language_code": language}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Anna"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            if text.startswith("/")
            else [],
        },
    }


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload)
