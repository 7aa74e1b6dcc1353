"""Initiative profiles: registering step by step, editing, managing and members."""

from __future__ import annotations

from aiogram import Router

from bot.services.initiatives.errors import InitiativeError
from bot.views.refusals import register_refusals
from handlers.initiatives import edit, manage, members, refusals, register, register_buttons


def create_router() -> Router:
    router = Router(name="initiatives")
    router.include_routers(
        edit.create_router(),
        register.create_router(),
        register_buttons.create_router(),
        manage.create_router(),
        members.create_router(),
    )
    register_refusals(router, InitiativeError, refusals.refusal)
    return router
