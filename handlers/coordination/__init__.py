"""Coordinators' tools: moderation, broadcasts, roles, figures, exports, the audit log, opt-out."""

from __future__ import annotations

from aiogram import Router

from bot.services.coordination.errors import CoordinationError
from bot.views.refusals import register_refusals
from handlers.coordination import (
    audience,
    audit,
    broadcasts,
    exports,
    moderation,
    optout,
    refusals,
    roles,
    stats,
)


def create_router() -> Router:
    router = Router(name="coordination")
    router.include_routers(
        moderation.create_router(),
        broadcasts.create_router(),
        audience.create_router(),
        roles.create_router(),
        stats.create_router(),
        exports.create_router(),
        audit.create_router(),
        optout.create_router(),
    )
    register_refusals(router, CoordinationError, refusals.refusal)
    return router
