"""Connecting people: introductions, questions and answers, help offers, knowledge and meetups."""

from __future__ import annotations

from aiogram import Router

from bot.services.connections.errors import ConnectionsError
from bot.views.refusals import register_refusals
from handlers.connections import (
    help_offers,
    introductions,
    knowledge,
    knowledge_admin,
    meetups,
    peer_answers,
    peer_questions,
    refusals,
    safety,
)


def create_router() -> Router:
    router = Router(name="connections")
    router.include_routers(
        introductions.create_router(),
        safety.create_router(),
        peer_questions.create_router(),
        peer_answers.create_router(),
        help_offers.create_router(),
        knowledge.create_router(),
        knowledge_admin.create_router(),
        meetups.create_router(),
    )
    register_refusals(router, ConnectionsError, refusals.refusal)
    return router
