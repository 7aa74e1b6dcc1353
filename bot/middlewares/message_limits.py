"""The last line of defence for Telegram's text limit: a message longer than 4,096 characters
goes out as several, cut between lines, with its buttons under the last part. Lists are paged
where they are made (`bot.paging`); this only catches what no page was made for, and says
so in the log, so that nobody gets an apology instead of their answer."""

from __future__ import annotations

import logging
from typing import cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.paging import TEXT_LIMIT, limit_problems, reads_html, text_pages

logger = logging.getLogger(__name__)


class SplitLongTextMiddleware(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not isinstance(method, SendMessage) or not limit_problems(
            method.text, parse_html=reads_html(method)
        ):
            return await make_request(bot, method)
        parts = ["\n".join(lines) for lines in text_pages(method.text.split("\n"), TEXT_LIMIT - 96)]
        logger.warning(
            "a message of %s characters went out in %s parts", len(method.text), len(parts)
        )
        for part in parts[:-1]:
            first = method.model_copy(update={"text": part, "reply_markup": None})
            await make_request(bot, cast(TelegramMethod[TelegramType], first))
        last = method.model_copy(update={"text": parts[-1]})
        return await make_request(bot, cast(TelegramMethod[TelegramType], last))
