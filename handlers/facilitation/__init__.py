"""Facilitation: answers by reply first, the coordinators' tools, the facilitators' own commands."""

from __future__ import annotations

from aiogram import Router

from bot.services.facilitation.pool import FacilitationError
from bot.views.refusals import register_refusals
from handlers.facilitation import admin, pool, refusals, replies, rota


def create_router() -> Router:
    router = Router(name="facilitation")
    router.include_routers(
        replies.create_router(),
        admin.create_router(),
        pool.create_router(),
        rota.create_router(),
    )
    register_refusals(router, FacilitationError, refusals.refusal)
    return router
