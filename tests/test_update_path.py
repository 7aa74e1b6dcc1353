"""The update path stays short: no filter is sent to a thread (aiogram would run every
synchronous filter through `asyncio.to_thread`)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Dispatcher

from bot.filters.on_the_loop import filters_of
from tests.conftest import Feeder
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI


def test_every_filter_of_the_dispatcher_runs_on_the_loop(dispatcher: Dispatcher) -> None:
    filters = list(filters_of(dispatcher))
    assert len(filters) > 50
    assert [f for f in filters if not f.awaitable] == []


@pytest.mark.parametrize("text", ["hallo", "repair cafe utrecht", "/menu", "/zoek moestuin"])
async def test_text_updates_make_no_thread_hops(
    feed: Feeder, bot_api: MockedBotAPI, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    hops: list[str] = []
    real = asyncio.to_thread

    async def counting(function: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(function, "__qualname__", repr(function)))
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    await feed(message_update(make_user(language_code="nl"), text))
    assert bot_api.take_all()
    assert [hop for hop in hops if "resolve" in hop or "lambda" in hop] == []
