"""Command and button filters look at the cheap part first.

Every `/…` handler has its own `Command` filter and every button handler its own callback-data
filter, and aiogram lets each of them parse the update (splitting the text, raising and catching
an exception when it does not match) until one handler takes it: text that no command takes (a
search, a greeting) passes some fifty command filters, and a tap up to twenty button filters of
other kinds; that parsing was about a tenth of such an update. Here a command filter first
compares the name after the prefix with its own names (with aiogram's case rule), and a button
filter the prefix of the data with its own; only a filter that could match parses, as aiogram
does, with everything that decides (mention, arguments, deep link, magic, rule) left to it.
Command filters with a regular expression always parse.

The filters stay what they were (a `Command`, a `CommandStart`, a `CallbackQueryFilter`): their
class becomes a subclass that adds the check, so whatever looks at the router still finds them.

A tap or a message also passes only the routers where a handler could take it: aiogram enters
every router in turn (some fifty) until one takes the update, and `skip_routers_nothing_fits`
lets a tap step over a router, with all of its sub-routers, when none of their button handlers
is of the tap's kind, and a message when each of their message handlers needs a command it is
not or a state the chat is not in. A router with a handler that could take anything (a button
handler for any data, a message handler with neither a command nor a state), or with
middleware of its own for such updates, is always entered for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from inspect import isclass
from typing import Any, Literal

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.filters.on_the_loop import filters_of


def _command_name(message: Message, prefixes: str | frozenset[str]) -> str | None:
    """The command a message starts with (`/zoek@bot …` → "zoek"), as aiogram reads it; None
    when it starts with none of the prefixes."""
    text = message.text or message.caption
    if not text or text[0] not in prefixes:
        return None
    return text.split(maxsplit=1)[0][1:].partition("@")[0]


class _NameFirst(Command):
    __slots__ = ()

    def could_match(self, event: Any) -> bool:
        """False only when the message can't be one of this filter's commands."""
        if not isinstance(event, Message):
            return True  # aiogram's own answer for anything else
        name = _command_name(event, self.prefix)
        if name is None:
            return False
        return (name.casefold() if self.ignore_case else name) in self.commands

    async def __call__(self, message: Message, bot: Any) -> bool | dict[str, Any]:
        if not self.could_match(message):
            return False
        return await super().__call__(message, bot)


class _PrefixFirst(CallbackQueryFilter):
    __slots__ = ()

    def could_match(self, event: Any) -> bool:
        """False only when the tap's data can't be of this filter's kind."""
        if not isinstance(event, CallbackQuery) or not event.data:
            return True  # aiogram's own answer for anything else
        prefix, data = self.callback_data.__prefix__, event.data
        return data.startswith(prefix + self.callback_data.__separator__) or data == prefix

    async def __call__(self, query: CallbackQuery) -> Literal[False] | dict[str, Any]:
        if not self.could_match(query):
            return False
        return await super().__call__(query)


@cache
def _checked(kind: type[Any], check: type[Any]) -> type[Any]:
    return type(f"{check.__name__.strip('_')}{kind.__name__}", (check, kind), {"__slots__": ()})


def check_cheap_parts_first(router: Router) -> int:
    """Puts the cheap check in front of every command and button filter of the tree; returns
    how many filters got one."""
    changed = 0
    for filter_object in filters_of(router):
        found = filter_object.callback
        if isinstance(found, (_NameFirst, _PrefixFirst)):
            continue
        if isinstance(found, Command):
            if any(isinstance(name, re.Pattern) for name in found.commands):
                continue
            found.__class__ = _checked(type(found), _NameFirst)
        elif isinstance(found, CallbackQueryFilter):
            found.__class__ = _checked(type(found), _PrefixFirst)
        else:
            continue
        changed += 1
    return changed


def skip_routers_nothing_fits(router: Router) -> int:
    """Lets a tap or a message step over every sub-router (of any depth) where no handler
    could take it; returns how many routers can be stepped over."""
    guarded = 0
    for sub_router in router.sub_routers:
        kinds = _button_kinds(sub_router)
        needs = _message_needs(sub_router)
        if kinds is not None or needs is not None:
            _step_over_unless(sub_router, kinds, needs)
            guarded += 1
        guarded += skip_routers_nothing_fits(sub_router)
    return guarded


def _button_kinds(router: Router) -> dict[str, frozenset[str]] | None:
    """The data prefixes (per separator) of every button handler of the router and its
    sub-routers; None when one of them takes any data or the router has middleware for taps."""
    observer = router.callback_query
    if observer.outer_middleware or observer.middleware:
        return None
    kinds: dict[str, set[str]] = {}
    for handler in observer.handlers:
        found = [
            f.callback for f in handler.filters or [] if isinstance(f.callback, CallbackQueryFilter)
        ]
        if not found:
            return None
        data = found[0].callback_data
        kinds.setdefault(data.__separator__, set()).add(data.__prefix__)
    for sub_router in router.sub_routers:
        below = _button_kinds(sub_router)
        if below is None:
            return None
        for separator, prefixes in below.items():
            kinds.setdefault(separator, set()).update(prefixes)
    return {separator: frozenset(prefixes) for separator, prefixes in kinds.items()}


@dataclass(frozen=True, slots=True)
class MessageNeeds:
    """What a message must be for some handler of a router tree to take it: one of these
    commands, or sent in one of these states (None: no state)."""

    prefixes: frozenset[str]
    commands: frozenset[str]
    states: frozenset[str | None]

    def could_take(self, message: Message, raw_state: str | None) -> bool:
        if raw_state in self.states:
            return True
        name = _command_name(message, self.prefixes)
        return name is not None and (name in self.commands or name.casefold() in self.commands)


def _message_needs(router: Router) -> MessageNeeds | None:
    """What every message handler of the router and its sub-routers needs; None when one of
    them could take any message (or the router has middleware for messages)."""
    observer = router.message
    if observer.outer_middleware or observer.middleware:
        return None
    prefixes: set[str] = set()
    commands: set[str] = set()
    states: set[str | None] = set()
    for handler in observer.handlers:
        callbacks = [f.callback for f in handler.filters or []]
        command = next((c for c in callbacks if isinstance(c, Command)), None)
        if command is not None and not any(isinstance(n, re.Pattern) for n in command.commands):
            prefixes.update(command.prefix)
            commands.update(str(name) for name in command.commands)
            continue
        found = next((c for c in callbacks if isinstance(c, StateFilter)), None)
        names = None if found is None else _state_names(found)
        if names is None:
            return None
        states.update(names)
    for sub_router in router.sub_routers:
        below = _message_needs(sub_router)
        if below is None:
            return None
        prefixes.update(below.prefixes)
        commands.update(below.commands)
        states.update(below.states)
    folded = {name.casefold() for name in commands}
    return MessageNeeds(frozenset(prefixes), frozenset(commands | folded), frozenset(states))


def _state_names(found: StateFilter) -> set[str | None] | None:
    """The raw states a state filter lets through; None when it lets any through."""
    names: set[str | None] = set()
    for state in found.states:
        if isinstance(state, State):
            state = state.state
        if state == "*":
            return None
        if state is None or isinstance(state, str):
            names.add(state)
        elif isinstance(state, StatesGroup):
            names.update(type(state).__all_states_names__)
        elif isclass(state) and issubclass(state, StatesGroup):
            names.update(state.__all_states_names__)
        else:
            return None
    return names


def _step_over_unless(
    router: Router, kinds: dict[str, frozenset[str]] | None, needs: MessageNeeds | None
) -> None:
    enter = router.propagate_event

    async def propagate_event(update_type: str, event: Any, **kwargs: Any) -> Any:
        if update_type == "callback_query":
            if kinds is not None and event.data is not None:
                data = event.data
                if not any(data.partition(sep)[0] in prefixes for sep, prefixes in kinds.items()):
                    return UNHANDLED
        elif (
            update_type == "message"
            and needs is not None
            and not needs.could_take(event, kwargs.get("raw_state"))
        ):
            return UNHANDLED
        return await enter(update_type=update_type, event=event, **kwargs)

    router.propagate_event = propagate_event  # type: ignore[method-assign]
