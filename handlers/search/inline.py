"""Inline mode: `@bot moestuin` in any chat offers matching initiatives as cards to share. An
empty query, or one that finds nothing, shows a button that opens the search in the bot.
`@bot i_12` and `@bot e_7` (what a card's [📤 Share] button types) offer exactly that
initiative's or event's card."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.types import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InlineQueryResultUnion,
    InputTextMessageContent,
    LinkPreviewOptions,
)

from bot.clock import Clock
from bot.config import Settings
from bot.conversation.search_session import MAX_QUERY_LENGTH
from bot.i18n import _
from bot.keyboards.search import open_in_bot_keyboard
from bot.services.events.browse import EventView, shareable
from bot.services.events.errors import EventsError
from bot.services.search import discover
from bot.services.search.discover import ResultPage
from bot.services.search.errors import SearchError
from bot.services.search.index_sync import SearchIndexHolder
from bot.views.event_card import event_card, when_where
from bot.views.initiative_card import card_text
from bot.views.search_results import inline_description
from storage.models import Initiative
from storage.repositories import Repo

INLINE_PAGE = 10
INLINE_MAX = 50  # Telegram shows these a page at a time as the user scrolls
CACHE_SECONDS = 30  # short: a profile that changes should not linger in Telegram's cache


def _hint(text: str) -> InlineQueryResultsButton:
    return InlineQueryResultsButton(text=text, start_parameter="zoek")


async def _answer_with_hint(inline_query: InlineQuery, text: str) -> None:
    await inline_query.answer([], cache_time=CACHE_SECONDS, is_personal=True, button=_hint(text))


def _shared_card(
    item: Initiative, username: str | None, locale: str, now: datetime
) -> InlineQueryResultArticle:
    """The card people share into a chat, with a button that opens it in the bot."""
    return InlineQueryResultArticle(
        id=f"i{item.id}",
        title=item.name,
        description=inline_description(item, locale),
        input_message_content=InputTextMessageContent(
            message_text=card_text(item, locale, now),
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        reply_markup=open_in_bot_keyboard(f"https://t.me/{username}?start=i_{item.id}"),
    )


async def _answer_with_cards(
    inline_query: InlineQuery,
    page: ResultPage,
    cards: list[Initiative],
    bot: Bot,
    locale: str,
    now: datetime,
) -> None:
    username = (await bot.me()).username
    results: list[InlineQueryResultUnion] = [
        _shared_card(item, username, locale, now) for item in cards
    ]
    following = (page.page + 1) * INLINE_PAGE
    more = following < min(page.total, INLINE_MAX)
    next_offset = str(following) if more else ""
    await inline_query.answer(
        results, cache_time=CACHE_SECONDS, is_personal=True, next_offset=next_offset
    )


def _shared_event(
    found: EventView, username: str | None, locale: str, settings: Settings
) -> InlineQueryResultArticle:
    event = found.event
    return InlineQueryResultArticle(
        id=f"e{event.id}",
        title=event.title,
        description=when_where(event, locale, settings.tz),
        input_message_content=InputTextMessageContent(
            message_text=event_card(found, locale, settings.tz),
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        reply_markup=open_in_bot_keyboard(f"https://t.me/{username}?start=e_{event.id}"),
    )


async def _one_card(
    inline_query: InlineQuery, kind: str, ident: int, username: str | None, **data: Any
) -> None:
    """The card a [📤 Share] button asked for, or the hint when it is gone."""
    locale: str = data["locale"]
    result: InlineQueryResultArticle
    try:
        if kind == "i":
            item = await discover.public_card(data["repo"], ident)
            result = _shared_card(item, username, locale, data["clock"].now())
        else:
            found = await shareable(data["repo"], ident)
            result = _shared_event(found, username, locale, data["settings"])
    except (SearchError, EventsError):
        await _answer_with_hint(inline_query, _("Nothing found. Search in Samenspel itself"))
        return
    await inline_query.answer([result], cache_time=CACHE_SECONDS, is_personal=True)


_ONE_CARD = re.compile(r"^([ie])_(\d{1,18})$")


async def on_inline_query(
    inline_query: InlineQuery,
    bot: Bot,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
    settings: Settings,
) -> None:
    """Cards of the initiatives that match what is typed after the bot's name."""
    words = " ".join(inline_query.query.split())[:MAX_QUERY_LENGTH]
    if one := _ONE_CARD.match(words):
        await _one_card(
            inline_query, one[1], int(one[2]), (await bot.me()).username,
            repo=repo, locale=locale, clock=clock, settings=settings,
        )  # fmt: skip
        return
    if not words:
        await _answer_with_hint(inline_query, _("Type what you are looking for, e.g. moestuin"))
        return
    page, cards = await _cards_found(inline_query, words, repo, search_index)
    if not cards:
        await _answer_with_hint(inline_query, _("Nothing found. Search in Samenspel itself"))
        return
    await _answer_with_cards(inline_query, page, cards, bot, locale, clock.now())


async def _cards_found(
    inline_query: InlineQuery, words: str, repo: Repo, search_index: SearchIndexHolder
) -> tuple[ResultPage, list[Initiative]]:
    """The page of initiatives the query's offset asks for (Telegram asks for the next one as
    the person scrolls), and their stored cards: a shared card carries the contact details, so
    it is read from the database. Not counted as a missed search when empty: inline queries
    arrive while the words are being typed."""
    offset = int(inline_query.offset) if inline_query.offset.isdigit() else 0
    page = await discover.search(
        repo, search_index, words, page=offset // INLINE_PAGE, size=INLINE_PAGE
    )
    return page, await discover.cards(repo, page)


def create_router() -> Router:
    router = Router(name="search_inline")
    router.inline_query.register(on_inline_query)
    return router
