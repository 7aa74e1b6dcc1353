"""/verberg <number> and /toon <number>: coordinators hide an initiative's profile or show it
again. Who did it and when is kept on the profile; the log records what happened."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.clock import Clock
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.profiles import InitiativeNotFoundError
from bot.views.coordination import moderated_text
from storage.models import User
from storage.repositories import Repo


async def _moderate(
    message: Message, command: CommandObject, user: User, repo: Repo, clock: Clock, *, hide: bool
) -> None:
    argument = (command.args or "").strip().lstrip("#")
    if not argument.isdigit():
        example = "/hide 12" if hide else "/show 12"
        await message.answer(
            _("Type the number of the initiative, for example {example}.").format(example=example)
        )
        return
    try:
        initiative = await initiatives.set_hidden(
            repo, int(argument), user.id, hidden=hide, now=clock.now()
        )
    except InitiativeNotFoundError:
        await message.answer(
            _("There is no initiative with number {number}.").format(number=argument)
        )
        return
    await message.answer(moderated_text(initiative, hidden=hide))


async def cmd_hide(
    message: Message, command: CommandObject, user: User, repo: Repo, clock: Clock
) -> None:
    """Hides a profile from everyone but its members (moderation)."""
    await _moderate(message, command, user, repo, clock, hide=True)


async def cmd_show(
    message: Message, command: CommandObject, user: User, repo: Repo, clock: Clock
) -> None:
    """Shows a hidden profile again."""
    await _moderate(message, command, user, repo, clock, hide=False)


def create_router() -> Router:
    router = Router(name="moderation")
    router.message.register(cmd_hide, Command("verberg", "hide"), IsCoordinator())
    router.message.register(cmd_show, Command("toon", "show"), IsCoordinator())
    return router
