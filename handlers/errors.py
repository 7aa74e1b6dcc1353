"""The one error handler: log the failure, tell the user something went wrong, in their language."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from bot.i18n import CatalogI18n

logger = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, i18n: CatalogI18n, locale: str | None = None) -> bool:
    """The user sees a short apology; the log gets the exception (without message text)."""
    update = event.update
    logger.error(
        "update %s (%s) failed: %s",
        update.update_id,
        update.event_type,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    apology = i18n.gettext(
        "Sorry, something went wrong on our side. Please try again in a moment.",
        locale=locale or i18n.default_locale,
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(apology, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(apology)
    except TelegramAPIError as exc:
        logger.warning("could not send the apology: %s", type(exc).__name__)
    return True


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
