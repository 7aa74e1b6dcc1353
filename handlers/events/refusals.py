"""What a refused action on an event says: the one refusal map of this feature."""

from __future__ import annotations

from bot.i18n import _
from bot.services.events.admin import EventNotOverError, EventStartedError
from bot.services.events.errors import EventsError
from bot.services.events.feedback import NotAParticipantError
from bot.services.events.registrations import (
    EventNotFoundError,
    EventNotOpenError,
    NotRegisteredError,
    PrerequisiteMissingError,
    SignupClosedError,
)
from bot.views.event_card import level_label


def refusal(exc: EventsError) -> str:
    if isinstance(exc, EventNotFoundError):
        return _("This event no longer exists.")
    if isinstance(exc, EventNotOpenError):
        return _("This event has already started or is over.")
    if isinstance(exc, SignupClosedError):
        return _("Signing up has closed: the deadline has passed.")
    if isinstance(exc, PrerequisiteMissingError):
        return _("This training builds on training {level}. Please do that one first.").format(
            level=level_label(exc.missing)
        )
    if isinstance(exc, NotRegisteredError):
        return _("This sign-up is no longer active.")
    if isinstance(exc, EventStartedError):
        return _("This event has already started or taken place, so it can't be changed any more.")
    if isinstance(exc, NotAParticipantError):
        return _("Only people who had a seat at this table can answer this.")
    if isinstance(exc, EventNotOverError):
        return _("Attendance can be marked once the event has started.")
    return _("That didn't work. Please try again.")
