"""The error handlers: access refused, a lost conversation, and (last of all, after every
feature's own refusals) the apology for a failure, logged without personal data."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import ErrorEvent, InlineKeyboardMarkup
from aiogram.types import User as TelegramUser

from bot.filters.roles import AccessDeniedError
from bot.i18n import CatalogI18n, pick_locale, speaking
from bot.keyboards.menu import with_menu_button
from bot.logging_privacy import pseudonym
from bot.views.refusals import answer_refusal

logger = logging.getLogger(__name__)


def _menu(i18n: CatalogI18n, locale: str) -> InlineKeyboardMarkup:
    with speaking(i18n, locale):
        return with_menu_button()


async def on_access_denied(
    event: ErrorEvent,
    i18n: CatalogI18n,
    locale: str | None = None,
    event_from_user: TelegramUser | None = None,
) -> bool:
    """Someone used a command or button of another role: they are told, nothing happens."""
    assert isinstance(event.exception, AccessDeniedError)
    logger.info(
        "refused %s for %s, who lacks the role",
        event.update.event_type,
        pseudonym(event_from_user.id if event_from_user else None),
    )
    next_step = _menu(i18n, locale or i18n.default_locale)
    await answer_refusal(event.update, event.exception.text, next_step=next_step)
    return True


async def on_error(
    event: ErrorEvent,
    i18n: CatalogI18n,
    locale: str | None = None,
    event_from_user: TelegramUser | None = None,
) -> bool:
    """The user sees a short apology; the log gets the exception (without message text)."""
    update = event.update
    logger.error(
        "update %s (%s) of %s failed: %s",
        update.update_id,
        update.event_type,
        pseudonym(event_from_user.id if event_from_user else None),
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    if locale is None:  # it failed before the user's language was known (database down?)
        telegram_language = event_from_user.language_code if event_from_user else None
        locale = pick_locale(None, telegram_language, i18n.default_locale)
    apology = i18n.gettext(
        "Sorry, something went wrong on our side. Please try again in a moment.", locale=locale
    )
    await answer_refusal(update, apology, next_step=_menu(i18n, locale))
    return True


async def on_lost_conversation(
    event: ErrorEvent, i18n: CatalogI18n, state: FSMContext, locale: str | None = None
) -> bool:
    """A conversation step found its earlier answers gone (state kept, data lost): the user
    is asked to start again instead of getting an apology for a crash."""
    await state.clear()
    logger.warning("update %s: conversation data was missing; started over", event.update.update_id)
    text = i18n.gettext(
        "Sorry, I lost track of where we were. Please start again: /menu shows everything.",
        locale=locale or i18n.default_locale,
    )
    await answer_refusal(event.update, text, next_step=_menu(i18n, locale or i18n.default_locale))
    return True


async def _in_a_conversation(event: ErrorEvent, state: FSMContext | None = None) -> bool:
    """A KeyError while the user was in a conversation state: their data went missing."""
    if not isinstance(event.exception, KeyError) or state is None:
        return False
    return await state.get_state() is not None


def create_router() -> Router:
    """Refusals of access and lost conversations, before any feature's own refusals."""
    router = Router(name="errors")
    router.errors.register(on_access_denied, ExceptionTypeFilter(AccessDeniedError))
    router.errors.register(on_lost_conversation, _in_a_conversation)
    return router


def create_last_resort_router() -> Router:
    """Whatever no feature turned into a refusal: logged, and the person gets an apology.
    Included last, so every feature's error handler has had its turn."""
    router = Router(name="errors_last_resort")
    router.errors.register(on_error)
    return router
