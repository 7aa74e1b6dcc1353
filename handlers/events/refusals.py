"""What a refused action on an event says: the one refusal map of this feature."""

from __future__ import annotations

from bot.i18n import _, ngettext
from bot.labels import level_label
from bot.services.events.admin import EventNotOverError, EventStartedError
from bot.services.events.errors import EventsError
from bot.services.events.feedback import NotAParticipantError
from bot.services.events.mix import UnknownAnswerError
from bot.services.events.registrations import (
    EventNotFoundError,
    EventNotOpenError,
    NotEnoughSeatsError,
    NotRegisteredError,
    PartyTooLargeError,
    PrerequisiteMissingError,
    SignupClosedError,
)


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
    if isinstance(exc, PartyTooLargeError):
        return ngettext(
            "One sign-up can bring at most {count} person here.",
            "One sign-up can bring at most {count} people here.",
            exc.limit,
        ).format(count=exc.limit)
    if isinstance(exc, NotEnoughSeatsError) and exc.free == 0:
        return _(
            "There is no free seat for more people. To come with more, cancel and sign up "
            "again: the whole group then waits together on the waitlist."
        )
    if isinstance(exc, NotEnoughSeatsError):
        return ngettext(
            "Only {count} more seat is free. Choose a smaller number, or cancel and sign up "
            "again to wait together on the waitlist.",
            "Only {count} more seats are free. Choose a smaller number, or cancel and sign up "
            "again to wait together on the waitlist.",
            exc.free,
        ).format(count=exc.free)
    if isinstance(exc, UnknownAnswerError):
        return _("That button belongs to an earlier step. Nothing was changed.")
    if isinstance(exc, NotRegisteredError):
        return _("This sign-up is no longer active.")
    if isinstance(exc, EventStartedError):
        return _("This event has already started or taken place, so it can't be changed any more.")
    if isinstance(exc, NotAParticipantError):
        return _("Only people who had a seat at this table can answer this.")
    if isinstance(exc, EventNotOverError):
        return _("Attendance can be marked once the event has started.")
    return _("That didn't work. Please try again.")
