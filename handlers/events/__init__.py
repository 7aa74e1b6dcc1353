"""Events: browsing, signing up, the agenda, weekly-overview settings and the coordinators' event
tools.
"""

from __future__ import annotations

from aiogram import Router

from bot.services.events.errors import EventsError
from bot.views.refusals import register_refusals
from handlers.events import (
    admin,
    agenda,
    attendance,
    browse,
    edit,
    feedback,
    manage,
    mix,
    refusals,
    reliability,
    settings,
    signup,
    wishes,
)


def create_router() -> Router:
    router = Router(name="events")
    router.include_routers(
        browse.create_router(),
        signup.create_router(),
        agenda.create_router(),
        admin.create_router(),
        manage.create_router(),
        edit.create_router(),
        attendance.create_router(),
        settings.create_router(),
        reliability.create_router(),
        feedback.create_router(),
        wishes.create_router(),
        mix.create_router(),
    )
    register_refusals(router, EventsError, refusals.refusal)
    return router
