"""/log [action]: the newest admin actions (who, what, on what, when)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.services.coordination import audit
from bot.views.coordination import audit_text
from storage.repositories import Repo


async def cmd_log(message: Message, command: CommandObject, repo: Repo, settings: Settings) -> None:
    """Lists the newest entries of the audit log, optionally of one kind of action."""
    action = (command.args or "").strip() or None
    page = await audit.latest(repo, action=action)
    if not page.entries:
        await message.answer(_("The log is empty."))
        return
    await message.answer(audit_text(page, settings.tz))


def create_router() -> Router:
    router = Router(name="audit")
    router.message.register(cmd_log, Command("log"), IsCoordinator())
    return router
