"""What a refused facilitation action says, where no table's number is needed to say it:
the refusal map of this feature (the coordinators' tools name the table themselves)."""

from __future__ import annotations

import html

from bot.i18n import _
from bot.services.facilitation.availability import (
    BadMaximumError,
    BadPeriodError,
    UnknownChoiceError,
)
from bot.services.facilitation.pool import FacilitationError
from bot.services.facilitation.rota import NotAPollDayError


def refusal(exc: FacilitationError) -> str:
    if isinstance(exc, NotAPollDayError):
        return _("No table on that day needs a facilitator any more. Nothing was changed.")
    if isinstance(exc, BadPeriodError):
        return _(
            "I can't read that. Type a day or a period, for example "
            "<code>/availability 24-12</code> or "
            "<code>/availability 24-12 tot 2-1</code>."
        )
    if isinstance(exc, BadMaximumError):
        return _("Type a whole number from 1 to 20, for example: <code>/availability max 2</code>")
    if isinstance(exc, UnknownChoiceError):
        return _("I don't know “{word}”. Separate several with commas.").format(
            word=html.escape(exc.word)
        )
    return _("That didn't work. Please try again.")
