"""A shared location (in search mode, or any time outside another conversation): the nearest
initiatives with their distance in kilometres, a page at a time."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.conversation.search_session import recall, remember
from bot.i18n import _
from bot.keyboards import search as kb
from bot.keyboards.callbacks import NearbyCallback
from bot.services.search import discover
from bot.services.search.index_sync import SearchIndexHolder
from bot.views.messages import edit_or_keep
from bot.views.search_results import nearby_text
from storage.repositories import Repo


async def nearby_message(
    repo: Repo,
    holder: SearchIndexHolder,
    lat: float,
    lon: float,
    token: int,
    page: int,
    locale: str,
    now: datetime | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = await discover.nearby(repo, holder, lat, lon, page=page)
    text = nearby_text(found, discover.NEARBY_KM, locale, now=now)
    if not found.items:
        return text, None
    items = [initiative for initiative, _distance in found.items]
    return text, kb.nearby_keyboard(items, token, found.page, found.pages)


async def on_location(
    message: Message,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    """A shared location: the initiatives nearest to it."""
    assert message.location is not None
    lat, lon = message.location.latitude, message.location.longitude
    token = await remember(state, {"lat": lat, "lon": lon})
    text, markup = await nearby_message(repo, search_index, lat, lon, token, 0, locale, clock.now())
    await message.answer(text, reply_markup=markup)


async def cb_nearby_page(
    query: CallbackQuery,
    callback_data: NearbyCallback,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    """Another page of nearby initiatives, in the same message."""
    entry = await recall(state, callback_data.q)
    if entry is None or "lat" not in entry or not isinstance(query.message, Message):
        await query.answer(
            _("This list has expired. Share your location again, or type /search."),
            show_alert=True,
        )
        return
    await query.answer()
    lat, lon, q = float(entry["lat"]), float(entry["lon"]), callback_data.q
    text, markup = await nearby_message(
        repo, search_index, lat, lon, q, callback_data.page, locale, clock.now()
    )
    await edit_or_keep(query.message, text, markup)


def create_router() -> Router:
    router = Router(name="nearby")
    # Included after every conversation that asks for a location itself, so it only gets the
    # locations nobody else was waiting for.
    router.message.register(on_location, F.chat.type == "private", F.location)
    router.callback_query.register(cb_nearby_page, NearbyCallback.filter())
    return router
