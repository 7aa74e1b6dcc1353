"""aiogram parses every Bot API answer with `Response[<the method's result type>]`. pydantic
keeps such parametrised models only weakly, so a busy process builds them again and again
(milliseconds each, on the event loop). The first request of each kind of method builds its
model and keeps it for the life of the process; the hundred-odd methods the bot never calls
cost nothing."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

_KEPT: dict[type[TelegramMethod[Any]], Any] = {}


def keep_response_model(method: type[TelegramMethod[Any]]) -> Any:
    """`Response[...]` for `method`'s result, built once and kept."""
    model = _KEPT.get(method)
    if model is None:
        model = _KEPT[method] = Response[method.__returning__]  # type: ignore[name-defined]
    return model


def kept(method: type[TelegramMethod[Any]]) -> Any:
    """The kept model of `method`, or None when it was never sent."""
    return _KEPT.get(method)


class KeepResponseModelsMiddleware(BaseRequestMiddleware):
    """Keeps the answer model of each kind of request the bot sends."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        keep_response_model(type(method))
        return await make_request(bot, method)
