"""The router tree. Order matters: features first, the fallback that catches the rest last."""

from __future__ import annotations

from aiogram import Router

from handlers import chat_member, errors, fallback, language, start


def create_root_router() -> Router:
    root = Router(name="root")
    root.include_routers(
        errors.create_router(),
        chat_member.create_router(),
        start.create_router(),
        language.create_router(),
        fallback.create_router(),
    )
    return root
