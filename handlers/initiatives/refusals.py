"""What a refused action on an initiative says: the one refusal map of this feature."""

from __future__ import annotations

from bot.i18n import _
from bot.services.initiatives import invites
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.profiles import (
    HiddenByCoordinatorError,
    IncompleteProfileError,
    NotAnOwnerError,
)


def refusal(exc: InitiativeError) -> str:
    """The text for a refusal; anything not named here means the profile is out of reach."""
    if isinstance(exc, HiddenByCoordinatorError):
        return _("A coordinator has hidden this profile, so it can't be published now.")
    if isinstance(exc, IncompleteProfileError):
        return _("Fill in the missing answers first (✏️ Edit).")
    if isinstance(exc, NotAnOwnerError):
        return _("Only owners can do this.")
    if isinstance(exc, invites.LastOwnerError):
        return _(
            "You are the only owner. Make another member owner first (👥 Members), "
            "or delete the initiative."
        )
    if isinstance(exc, invites.RequestDecidedError):
        return _("Someone already answered this request.")
    return _("This initiative doesn't exist any more, or you are no longer a member.")
