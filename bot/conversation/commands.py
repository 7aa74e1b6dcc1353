"""Reading the arguments of typed commands, with a friendly word when one is missing."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.types import (
    Message,
)

from bot.i18n import _


def _event_id(command: CommandObject) -> int | None:
    argument = (command.args or "").strip().lstrip("#")
    return int(argument) if argument.isdigit() else None


async def need_event_id(message: Message, command: CommandObject) -> int | None:
    event_id = _event_id(command)
    if event_id is None:
        await message.answer(
            _("Add the event number, for example: <code>/{command} 12</code>").format(
                command=command.command
            )
        )
    return event_id
