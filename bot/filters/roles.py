"""Role checks for handlers: coordinator-only and facilitator-only commands and buttons.

Put the filter on the handler (or on the router of an admin feature) so that a forged callback
from anyone else never reaches the use-case. The user is the one the UserMiddleware loaded.
A refusal raises `AccessDeniedError`, which stops the update (no other handler, such as the
fallback, gets it) and which the error router answers with the refusal text.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from bot.i18n import _
from storage.models import User


class AccessDeniedError(Exception):
    """Someone tried what their role does not allow; `text` is the translated refusal."""

    def __init__(self, text: str) -> None:
        super().__init__("access denied")
        self.text = text


class IsCoordinator(Filter):
    """Passes for coordinators. For anyone else it answers "only for coordinators" and stops."""

    async def __call__(
        self, event: TelegramObject, user: User | None = None, **kwargs: Any
    ) -> bool:
        if user is not None and user.is_coordinator:
            return True
        raise AccessDeniedError(_("Sorry, only coordinators can do this."))


class IsFacilitator(Filter):
    """Passes for facilitators (and coordinators, who may lead tables too)."""

    async def __call__(
        self, event: TelegramObject, user: User | None = None, **kwargs: Any
    ) -> bool:
        if user is not None and user.is_facilitator:
            return True
        raise AccessDeniedError(_("Sorry, this is only for facilitators."))
