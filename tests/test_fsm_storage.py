"""Conversation state: in memory by default, in Redis with REDIS_URL, surviving a restart."""

from __future__ import annotations

import uuid

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage

from bot.app import build_fsm_storage
from bot.config import Settings
from tests.conftest import REDIS_URL


def test_without_redis_state_lives_in_memory() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert isinstance(build_fsm_storage(settings), MemoryStorage)


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
async def test_with_redis_state_survives_a_restart() -> None:
    settings = Settings(_env_file=None, redis_url=REDIS_URL)  # type: ignore[call-arg]
    key = StorageKey(bot_id=42, chat_id=int(uuid.uuid4().int % 10**9), user_id=7)
    first = build_fsm_storage(settings)
    assert isinstance(first, RedisStorage)
    try:
        await first.set_state(key, "Registration:name")
        await first.set_data(key, {"name": "Buurtmoestuin De Groene Vinger"})
    finally:
        await first.close()

    second = build_fsm_storage(settings)
    try:
        assert await second.get_state(key) == "Registration:name"
        assert await second.get_data(key) == {"name": "Buurtmoestuin De Groene Vinger"}
    finally:
        await second.set_state(key, None)
        await second.set_data(key, {})
        await second.close()
