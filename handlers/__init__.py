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


def feature_routers() -> list[Router]:
    """The routers of every feature, each included in the dispatcher itself in this order (one
    router above them all would be one more level every update passes through)."""
    return [
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
    ]
