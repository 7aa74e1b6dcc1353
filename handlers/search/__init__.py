"""Finding initiatives: typed searches and search mode, the card, inline mode and nearby."""

from __future__ import annotations

from aiogram import Router

from bot.services.search.errors import SearchError
from bot.views.refusals import register_refusals
from handlers.search import card, inline, nearby, query, refusals


def create_router() -> Router:
    router = Router(name="search")
    router.include_routers(
        query.create_router(),
        card.create_router(),
        inline.create_router(),
        nearby.create_router(),
        query.create_free_text_router(),
    )
    register_refusals(router, SearchError, refusals.refusal)
    return router
