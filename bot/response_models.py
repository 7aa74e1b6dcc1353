"""aiogram parses every Bot API answer with `Response[<the method's result type>]`. pydantic
keeps such parametrised models only weakly, so a busy process builds them again and again
(milliseconds each, on the event loop). Building each once at start and holding on to it keeps
them for the life of the process."""

from __future__ import annotations

import inspect
from typing import Any

from aiogram import methods
from aiogram.methods import Response, TelegramMethod

_PINNED: dict[type[TelegramMethod[Any]], Any] = {}


def pin_response_models() -> int:
    """Build and keep `Response[...]` for every Bot API method; returns how many."""
    for _name, method in inspect.getmembers(methods, inspect.isclass):
        if issubclass(method, TelegramMethod) and method is not TelegramMethod:
            returning = getattr(method, "__returning__", None)
            if returning is not None and method not in _PINNED:
                _PINNED[method] = Response[returning]  # type: ignore[valid-type]
    return len(_PINNED)


def pinned(method: type[TelegramMethod[Any]]) -> Any:
    return _PINNED.get(method)
