"""Command filters look at the command's name before they parse it.

Every `/…` handler has its own `Command` filter, and aiogram lets each of them split and parse
the text (raising and catching an exception when it does not match): a message passes some
fifty of them, a third of what a `/menu` costs. Here each filter first compares the name after
the prefix with its own names (a tuple lookup, with aiogram's case rule), and only a filter
that could match parses, as aiogram does, with everything that decides (mention, arguments,
deep link, magic) left to it. Filters with a regular expression always parse.

The filters stay what they were (a `Command`, a `CommandStart`): their class becomes a subclass
that adds the check, so whatever looks at the router's commands still finds them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.filters.on_the_loop import filters_of


class _NameFirst(Command):
    __slots__ = ()

    def could_match(self, event: Any) -> bool:
        """False only when the message can't be one of this filter's commands."""
        if not isinstance(event, Message):
            return True  # aiogram's own answer for anything else
        text = event.text or event.caption
        if not text or text[0] not in self.prefix:
            return False
        name = text.split(maxsplit=1)[0][1:].partition("@")[0]
        return (name.casefold() if self.ignore_case else name) in self.commands

    async def __call__(self, message: Message, bot: Any) -> bool | dict[str, Any]:
        if not self.could_match(message):
            return False
        return await super().__call__(message, bot)


@cache
def _checked(kind: type[Command]) -> type[Command]:
    return type(f"NameFirst{kind.__name__}", (_NameFirst, kind), {"__slots__": ()})


def check_command_names_first(router: Router) -> int:
    """Puts the name check in front of every command filter of the tree; returns how many."""
    changed = 0
    for filter_object in filters_of(router):
        command = filter_object.callback
        if not isinstance(command, Command) or isinstance(command, _NameFirst):
            continue
        if any(isinstance(name, re.Pattern) for name in command.commands):
            continue
        command.__class__ = _checked(type(command))
        changed += 1
    return changed
