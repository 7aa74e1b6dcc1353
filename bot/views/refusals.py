"""How a refusal reaches the person: a callback gets an alert, a private message an answer.

Each handler package keeps one `refusal(exc)` that turns its feature's exceptions into text, and
registers an error handler that answers with it through `answer_refusal`, so a handler can call
its service and let a refusal go: guard, call one service, answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, InlineKeyboardMarkup, Update

from bot.i18n import CatalogI18n, speaking
from bot.keyboards.menu import with_menu_button

logger = logging.getLogger(__name__)

Refused = TypeVar("Refused", bound=Exception)


async def answer_refusal(
    update: Update,
    text: str,
    *,
    any_chat: bool = False,
    next_step: InlineKeyboardMarkup | None = None,
) -> None:
    """Answer a callback with an alert, a message with a message (in a private chat only,
    unless `any_chat`: a feature's refusal goes where the command was typed). In a private chat
    a refusal ends a path, so `next_step` (the menu button) goes under it."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(text, reply_markup=next_step)
        elif update.message is not None and any_chat:
            await update.message.answer(text)
    except TelegramAPIError as exc:
        logger.warning("could not answer a refusal: %s", type(exc).__name__)


def register_refusals(
    router: Router, base: type[Refused], refusal: Callable[[Refused], str]
) -> None:
    """Let `router` answer every `base` exception with `refusal(exc)`, in the person's language.
    Error handlers run outside the update's language context, so the language is set here."""

    async def on_refusal(event: ErrorEvent, i18n: CatalogI18n, locale: str | None = None) -> bool:
        exception = event.exception
        assert isinstance(exception, base)
        with speaking(i18n, locale or i18n.default_locale):
            text = refusal(exception)
            next_step = with_menu_button()
        await answer_refusal(event.update, text, any_chat=True, next_step=next_step)
        return True

    router.errors.register(on_refusal, ExceptionTypeFilter(base))
