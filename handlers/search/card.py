"""A found initiative: its public card with [Similar] and [Contact], the initiatives most like
it, and its public contact details."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.keyboards import search as kb
from bot.keyboards.callbacks import SearchItemAction, SearchItemCallback
from bot.keyboards.menu import with_menu_button
from bot.services.search import discover
from bot.services.search.index_sync import SearchIndexHolder
from bot.views.initiative_card import card_text
from bot.views.search_results import contact_text, similar_text
from storage.repositories import Repo


async def cb_open(
    query: CallbackQuery,
    callback_data: SearchItemCallback,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """A result's button: the initiative's public card."""
    initiative = await discover.public_card(repo, callback_data.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            card_text(initiative, locale, clock.now()), reply_markup=kb.card_keyboard(initiative)
        )


async def cb_similar(
    query: CallbackQuery,
    callback_data: SearchItemCallback,
    repo: Repo,
    search_index: SearchIndexHolder,
    clock: Clock,
) -> None:
    """[🔁 Similar]: initiatives like this one."""
    initiative, found = await discover.similar(repo, search_index, callback_data.id)
    await query.answer()
    if isinstance(query.message, Message):
        markup = kb.list_keyboard(found) if found else with_menu_button()
        await query.message.answer(
            similar_text(initiative, found, now=clock.now()), reply_markup=markup
        )


async def cb_contact(query: CallbackQuery, callback_data: SearchItemCallback, repo: Repo) -> None:
    """The public contact details, with buttons to open them."""
    initiative = await discover.public_card(repo, callback_data.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            contact_text(initiative), reply_markup=kb.contact_keyboard(initiative)
        )


def create_router() -> Router:
    router = Router(name="search_card")
    item = SearchItemCallback.filter
    router.callback_query.register(cb_open, item(F.action == SearchItemAction.OPEN))
    router.callback_query.register(cb_similar, item(F.action == SearchItemAction.SIMILAR))
    router.callback_query.register(cb_contact, item(F.action == SearchItemAction.CONTACT))
    return router
