"""The searches a person made in this chat, kept in the conversation state so that the buttons of a
result list (pages, filters) can carry a short number instead of the words."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext

MAX_QUERY_LENGTH = 200


_KEPT_SEARCHES = 20


_SEARCHES_KEY = "searches"


async def remember(state: FSMContext, entry: dict[str, Any]) -> int:
    """Keep a search (its words, or a location) and return the number its buttons carry."""
    data = await state.get_data()
    kept: dict[str, dict[str, Any]] = dict(data.get(_SEARCHES_KEY) or {})
    token = max((int(key) for key in kept), default=0) + 1
    kept[str(token)] = entry
    for old in sorted(kept, key=int)[:-_KEPT_SEARCHES]:
        del kept[old]
    await state.update_data({_SEARCHES_KEY: kept})
    return token


async def recall(state: FSMContext, token: int) -> dict[str, Any] | None:
    """A kept search; number 0 is the search without words (a theme from the suggestions)."""
    if token == 0:
        return {"q": ""}
    kept = (await state.get_data()).get(_SEARCHES_KEY) or {}
    entry = kept.get(str(token))
    return entry if isinstance(entry, dict) else None
