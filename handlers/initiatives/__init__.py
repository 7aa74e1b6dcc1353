"""Initiative profiles: registering step by step, editing, managing and members."""

from __future__ import annotations

from aiogram import Router

from handlers.initiatives import edit, manage, members, register, register_buttons


def create_router() -> Router:
    router = Router(name="initiatives")
    router.include_routers(
        edit.create_router(),
        register.create_router(),
        register_buttons.create_router(),
        manage.create_router(),
        members.create_router(),
    )
    return router
