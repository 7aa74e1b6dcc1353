"""The router tree. Order matters: features first, the fallback that catches the rest last."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    chat_member,
    connections,
    coordination,
    errors,
    events,
    facilitation,
    fallback,
    initiatives,
    language,
    privacy,
    search,
    start,
)


def create_root_router() -> Router:
    root = Router(name="root")
    root.include_routers(
        errors.create_router(),
        chat_member.create_router(),
        start.create_router(),
        language.create_router(),
        # A reply to a facilitation request always reaches its handler, before any other.
        facilitation.create_router(),
        privacy.create_router(),
        events.create_router(),
        initiatives.create_router(),
        coordination.create_router(),
        connections.create_router(),
        search.create_router(),
        fallback.create_router(),
        errors.create_last_resort_router(),
    )
    return root
