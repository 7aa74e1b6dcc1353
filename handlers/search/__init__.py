"""Finding initiatives: typed searches and search mode, the card, inline mode and nearby."""

from __future__ import annotations

from aiogram import Router

from handlers.search import card, inline, nearby, query


def create_router() -> Router:
    router = Router(name="search")
    router.include_routers(
        query.create_router(),
        card.create_router(),
        inline.create_router(),
        nearby.create_router(),
    )
    return router
