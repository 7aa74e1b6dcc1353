"""What a refused search action says: the one refusal map of this feature."""

from __future__ import annotations

from bot.i18n import _
from bot.services.search.errors import SearchError


def refusal(exc: SearchError) -> str:
    """The search's one refusal: the initiative is no longer public."""
    return _("This initiative can no longer be found.")
