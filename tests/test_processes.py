"""Several processes behind one webhook URL: two complete app instances (each with its own
aiohttp webhook server) share PostgreSQL and Redis. A conversation whose steps alternate
between the instances completes, and every update is answered exactly once."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import Application, close_application, create_application
from bot.config import Settings
from bot.keyboards.callbacks import RegisterCallback
from bot.runner import WEBHOOK_PATH, webhook_app
from storage.engine import create_engine, create_session_pool
from storage.models import Initiative, InitiativeMember
from tests.conftest import POSTGRES_URL, REDIS_URL
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.skipif(
    not (POSTGRES_URL and REDIS_URL), reason="TEST_POSTGRES_URL and TEST_REDIS_URL are not set"
)
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
SECRET = "several-processes"
_ids = iter(range(int(time.time() * 1000) % 10**9 * 1000, 10**15))


def _user(user_id: int, name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "en"}


def text_update(user_id: int, name: str, text: str) -> dict[str, Any]:
    update_id = next(_ids)
    command = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 10**6,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": name},
            "from": _user(user_id, name),
            "text": text,
            "entities": command if text.startswith("/") else [],
        },
    }


def press_update(user_id: int, name: str, action: str, value: str = "") -> dict[str, Any]:
    update_id = next(_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "from": _user(user_id, name),
            "chat_instance": str(user_id),
            "data": RegisterCallback(action=action, value=value).pack(),
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user_id, "type": "private", "first_name": name},
                "text": "…",
            },
        },
    }


def registration(user_id: int, name: str, title: str) -> list[dict[str, Any]]:
    """Every step of /new, answered as a person would, skipping what is optional."""
    steps = [
        text_update(user_id, name, "/new"),
        text_update(user_id, name, title),
        text_update(user_id, name, "We practise Dutch over coffee every Tuesday morning."),
        text_update(user_id, name, "Language, newcomers"),
        text_update(user_id, name, "Zeist"),
    ]
    for step in ("neighbourhood", "location", "website", "email", "phone", "telegram", "keywords"):
        steps.append(press_update(user_id, name, "skip", step))
    steps.append(press_update(user_id, name, "publish"))
    return steps


async def _instance(settings: Settings) -> tuple[Application, TestClient[Any, Any]]:
    app = create_application(settings)
    client: TestClient[Any, Any] = TestClient(TestServer(webhook_app(app)))
    await client.start_server()
    return app, client


async def _until(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the bot did not answer in time"
        await asyncio.sleep(0.02)


async def test_two_instances_complete_a_conversation_whose_steps_alternate(
    postgres_tables: str,
) -> None:
    async with FakeTelegram() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=TOKEN,
            database_url=postgres_tables,
            redis_url=REDIS_URL,
            telegram_api_url=api.url,
            webhook_url="https://bot.example.org",
            webhook_secret=SECRET,
        )
        instances = [await _instance(settings), await _instance(settings)]
        clients = [client for _app, client in instances]
        people = {next(_ids): "Anna", next(_ids): "Emma"}

        def messages_to(user_id: int) -> list[dict[str, Any]]:
            return [
                s.payload
                for s in api.sent_of("sendMessage")
                if int(s.payload["chat_id"]) == user_id
            ]

        async def post(index: int, update: dict[str, Any]) -> None:
            response = await clients[index].post(
                WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert response.status == 200

        async def converse(user_id: int, name: str, first: int) -> list[int]:
            """Each step to the other instance than the step before; waits for the answer."""
            answers = []
            for number, update in enumerate(registration(user_id, name, f"Language Café {name}")):
                before = len(messages_to(user_id))
                await post((first + number) % 2, update)
                await _until(lambda seen=before: len(messages_to(user_id)) > seen)
                await asyncio.sleep(0.05)  # a second answer to the same step would show now
                answers.append(len(messages_to(user_id)) - before)
            return answers

        try:
            (anna, anna_name), (emma, emma_name) = people.items()
            # Webhook redelivery of the same update to both instances: handled once.
            again = text_update(anna, anna_name, "/menu")
            await asyncio.gather(post(0, again), post(1, again))
            await _until(lambda: len(messages_to(anna)) >= 1)
            answers = await asyncio.gather(
                converse(anna, anna_name, 0), converse(emma, emma_name, 1)
            )
            await asyncio.sleep(0.3)
            menus = [m for m in messages_to(anna) if m["text"] == "What do you want to do?"]
        finally:
            for app, client in instances:
                await client.close()
                await app.dispatcher.storage.close()
                await close_application(app)

    assert len(menus) == 1
    # The /new step says hello and asks the first question; every other step one message.
    for per_step in answers:
        assert per_step == [2] + [1] * 12
    published = messages_to(anna)[-1]["text"]
    assert published.startswith("🎉 Published! People can now find <b>Language Café Anna</b>")
    engine = create_engine(postgres_tables)
    async with create_session_pool(engine)() as session:
        rows = await session.execute(
            select(Initiative.name, Initiative.status, InitiativeMember.user_id)
            .join(InitiativeMember, InitiativeMember.initiative_id == Initiative.id)
            .order_by(Initiative.name)
        )
        assert [tuple(row) for row in rows] == [
            ("Language Café Anna", "published", anna),
            ("Language Café Emma", "published", emma),
        ]
    await engine.dispose()
    assert json.dumps(answers)  # both conversations ran concurrently, one step at a time
