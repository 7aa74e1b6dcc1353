"""What operations sees: `/metrics` in Prometheus's format on the web server, and log lines
as JSON for a log collector. Counts and durations only, never a name, text or id."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import close_application, create_application
from bot.config import Settings
from bot.lifecycle import prepare_database
from bot.log_format import JsonLineFormatter
from bot.metrics import UpdateMetrics
from bot.runner import METRICS_PATH, WEBHOOK_PATH, webhook_app
from tests.fake_telegram import FakeTelegram, start_update

SECRET = "metrics-secret"


async def test_metrics_count_updates_time_them_and_show_the_outbox(tmp_path: Path) -> None:
    async with FakeTelegram() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi",
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'm.db'}",
            telegram_api_url=api.url,
            webhook_url="https://bot.example.org",
            webhook_secret=SECRET,
        )
        await prepare_database(settings, demo_data=False)
        app = create_application(settings)
        client = TestClient(TestServer(webhook_app(app)))
        await client.start_server()
        try:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            for n in range(3):
                update = start_update(500 + n, 8_000 + n, text="/menu")
                assert (await client.post(WEBHOOK_PATH, json=update, headers=headers)).status == 200
            await _settle(app.dispatcher.workflow_data["metrics"])
            response = await client.get(METRICS_PATH)
            body = await response.text()
        finally:
            await client.close()
            await close_application(app)
    assert response.status == 200 and response.content_type == "text/plain"
    lines = body.splitlines()
    assert 'samenspel_updates_total{kind="message",outcome="handled"} 3' in lines
    assert 'samenspel_update_seconds_count{kind="message"} 3' in lines
    assert 'samenspel_update_seconds_bucket{kind="message",le="+Inf"} 3' in lines
    assert "samenspel_outbox_backlog 0" in lines
    assert 'samenspel_deliveries_total{outcome="sent"} 0' in lines
    assert "samenspel_telegram_429_total 0" in lines
    assert 'samenspel_db_connections{state="in_use"} 0' in lines  # every update gave its back
    idle = [line for line in lines if line.startswith('samenspel_db_connections{state="idle"}')]
    assert len(idle) == 1 and int(idle[0].split()[-1]) >= 1
    assert "8000" not in body and "Anna" not in body


async def _settle(metrics: UpdateMetrics) -> None:
    """The updates run in the background of the webhook's answer: wait until all three ended."""
    import asyncio

    for _ in range(200):
        if sum(metrics.counted.values()) >= 3:
            return
        await asyncio.sleep(0.02)


def test_json_log_lines_carry_level_logger_message_and_traceback() -> None:
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.LogRecord(
            "bot.sender", logging.ERROR, __file__, 1, "delivery of row %s failed", (7,),
            sys.exc_info(),
        )  # fmt: skip
    line = json.loads(JsonLineFormatter().format(record))
    assert (line["level"], line["logger"], line["message"]) == (
        "ERROR",
        "bot.sender",
        "delivery of row 7 failed",
    )
    assert line["exception"].endswith("ValueError: kapot")
    assert line["time"].endswith("+00:00")


async def test_after_the_database_dropped_its_connections_the_bot_answers_again(
    feed: Any, bot_api: Any, engine: Any, database_url: str
) -> None:
    """PostgreSQL restarted (every connection of the pool is dead): at most the first update
    gets the apology, then the pool has been renewed and everything works."""
    from aiogram.methods import SendMessage
    from sqlalchemy import text

    from tests.factories import make_user, message_update

    if not database_url.startswith("postgresql"):
        return  # SQLite has no server connection to lose
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/menu"))
    assert bot_api.take(SendMessage).text == "Wat wil je doen?"
    async with engine.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    answers = []
    for _ in range(3):
        await feed(message_update(anna, "/menu"))
        answers += [call.text for call in bot_api.take_all() if isinstance(call, SendMessage)]
    assert answers[-1] == "Wat wil je doen?"
    assert answers.count("Wat wil je doen?") >= 2
