"""What a refused coordinator's action says: the one refusal map of this feature."""

from __future__ import annotations

import html

from bot.i18n import _
from bot.services.coordination.errors import CoordinationError
from bot.services.coordination.roles import (
    LastCoordinatorError,
    ProtectedCoordinatorError,
    UnknownPersonError,
    UnknownRoleError,
)
from bot.views.coordination import role_usage


def refusal(exc: CoordinationError) -> str:
    if isinstance(exc, UnknownRoleError):
        return role_usage()
    if isinstance(exc, UnknownPersonError):
        return _(
            "I don't know {who}. They need to start the bot first (/start); then try again."
        ).format(who=html.escape(str(exc)))
    if isinstance(exc, ProtectedCoordinatorError):
        return _("This person is a coordinator in the settings (COORDINATOR_IDS) and stays one.")
    if isinstance(exc, LastCoordinatorError):
        return _("This is the last coordinator. Make someone else coordinator first.")
    return _("That didn't work. Please try again.")
