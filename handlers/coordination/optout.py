"""/geenmededelingen (/noannouncements): a resident stops receiving announcements (broadcasts);
/start turns them on again. /stop only ever stops a conversation (see the fallback)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.clock import Clock
from bot.i18n import _
from bot.services.coordination import optout
from storage.models import User
from storage.repositories import Repo


async def cmd_no_announcements(message: Message, user: User, repo: Repo, clock: Clock) -> None:
    """Stops announcements and says how to get them back."""
    if await optout.stop_announcements(repo, user, now=clock.now()):
        text = _(
            "OK, you won't get announcements any more. Reminders about your own sign-ups "
            "still come.\n\nWant them again? Send /start."
        )
    else:
        text = _("You had already stopped announcements. Want them again? Send /start.")
    await message.answer(text)


def create_router() -> Router:
    router = Router(name="optout")
    router.message.register(cmd_no_announcements, Command("geenmededelingen", "noannouncements"))
    return router
