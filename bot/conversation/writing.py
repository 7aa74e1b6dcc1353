"""Typing steps that expire: a person who tapped [Contact], [Reply], [Answer] or picked a
theme and then went on to something else must not have a later, unrelated message passed on.
After WINDOW the step is dropped and the message goes on to the other handlers (search,
fallback) as if no step had been open."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State

from bot.clock import Clock

WINDOW = timedelta(minutes=30)


async def start_writing(
    state: FSMContext, step: State, clock: Clock, **step_data: int | str
) -> None:
    """Open a typing step with its data and the moment it was opened."""
    await state.set_state(step)
    await state.update_data({"since": clock.now().isoformat(), **step_data})


async def still_writing(state: FSMContext, clock: Clock) -> dict[str, Any]:
    """The step's data; a step older than WINDOW is dropped and the message passed on."""
    data = await state.get_data()
    since = data.get("since")
    if not isinstance(since, str) or clock.now() - datetime.fromisoformat(since) > WINDOW:
        await state.clear()
        raise SkipHandler()
    return data
