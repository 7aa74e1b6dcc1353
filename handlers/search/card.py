"""A found initiative: its public card with [Similar] and [Contact], the initiatives most like
it, and its public contact details."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.i18n import _
from bot.keyboards import search as kb
from bot.keyboards.callbacks import SearchItemCallback
from bot.services.search import discover
from bot.services.search.discover import NotPublishedError
from bot.services.search.index_sync import SearchIndexHolder
from bot.views.initiative_card import card_text
from bot.views.search_results import contact_text, similar_text
from storage.repositories import Repo


async def cb_item(
    query: CallbackQuery,
    callback_data: SearchItemCallback,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    """Sends the card of a result, its similar initiatives, or its contact details."""
    ident = callback_data.id
    try:
        if callback_data.action == "similar":
            initiative, found = await discover.similar(repo, search_index, ident)
        else:
            initiative, found = await discover.public_card(repo, ident), []
    except NotPublishedError:
        await query.answer(_("This initiative can no longer be found."), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.action == "similar":
        markup = kb.list_keyboard(found) if found else None
        await query.message.answer(similar_text(initiative, found), reply_markup=markup)
    elif callback_data.action == "contact":
        await query.message.answer(
            contact_text(initiative), reply_markup=kb.contact_keyboard(initiative)
        )
    else:
        await query.message.answer(
            card_text(initiative, locale, clock.now()), reply_markup=kb.card_keyboard(initiative)
        )


def create_router() -> Router:
    router = Router(name="search_card")
    router.callback_query.register(cb_item, SearchItemCallback.filter())
    return router
