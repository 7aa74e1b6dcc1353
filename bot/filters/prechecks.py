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
not, a state the chat is not in, or something a filter's cheap `could_take` says it is not
(typed text rather than a command, a reply to the bot: `bot/filters/messages.py`). A router
with a handler that could take anything (a button handler for any data, a message handler with
no command, no state and no such filter), or with middleware of its own for such updates, is
always entered for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from inspect import isclass
from typing import Any, Literal

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.filters.on_the_loop import filters_of, unwrapped


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
            _step_over_unless(sub_router, kinds, None if needs is None else _merged(needs))
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


Check = Callable[[Message, Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class HandlerNeeds:
    """What a message must be for one handler to take it: sent in one of `states` (None: in any
    state), one of `commands` (None: any message) and passing every cheap `checks`."""

    states: frozenset[str | None] | None = None
    prefixes: frozenset[str] = frozenset()
    commands: frozenset[str] | None = None
    checks: tuple[Check, ...] = ()

    @property
    def takes_anything(self) -> bool:
        return self.states is None and self.commands is None and not self.checks

    def could_take(self, message: Message, raw_state: str | None, data: Mapping[str, Any]) -> bool:
        if self.states is not None and raw_state not in self.states:
            return False
        if self.commands is not None:
            name = _command_name(message, self.prefixes)
            if name is None or (name not in self.commands and name.casefold() not in self.commands):
                return False
        return all(check(message, data) for check in self.checks)


def _handler_needs(filters: list[FilterObject]) -> HandlerNeeds:
    """What one message handler's filters need, as far as they tell: a command filter, a state
    (a `StateFilter` or a bare `State`) and any filter with a cheap `could_take` of its own.
    Other filters are left to aiogram: they can only turn away more."""
    states: frozenset[str | None] | None = None
    prefixes: frozenset[str] = frozenset()
    commands: frozenset[str] | None = None
    checks: list[Check] = []
    for found in (unwrapped(f.callback) for f in filters):
        if isinstance(found, Command) and commands is None:
            if not any(isinstance(name, re.Pattern) for name in found.commands):
                given = {str(name) for name in found.commands}
                prefixes = frozenset(found.prefix)
                commands = frozenset(given | {name.casefold() for name in given})
        elif isinstance(found, (StateFilter, State)) and states is None:
            allowed = _state_names(found)
            states = None if allowed is None else frozenset(allowed)
        elif callable(could_take := getattr(found, "could_take", None)):
            checks.append(could_take)
    return HandlerNeeds(states, prefixes, commands, tuple(checks))


def _message_needs(router: Router) -> tuple[HandlerNeeds, ...] | None:
    """What each message handler of the router and its sub-routers needs; None when one of
    them could take any message (or the router has middleware for messages)."""
    observer = router.message
    if observer.outer_middleware or observer.middleware:
        return None
    needs = [_handler_needs(handler.filters or []) for handler in observer.handlers]
    if any(need.takes_anything for need in needs):
        return None
    for sub_router in router.sub_routers:
        below = _message_needs(sub_router)
        if below is None:
            return None
        needs.extend(below)
    return tuple(needs)


def _merged(needs: tuple[HandlerNeeds, ...]) -> tuple[HandlerNeeds, ...]:
    """The needs of a command alone, and those of a state alone, each merged into one: a router
    with forty commands reads a message's command once, not forty times. (A command merged
    with another one's prefix can only let a message in that aiogram then turns away.)"""
    commands = [n for n in needs if n.states is None and not n.checks]
    states = [n for n in needs if n.commands is None and not n.checks]
    merged = [n for n in needs if n.checks or (n.states is not None and n.commands is not None)]
    if commands:
        merged.append(
            HandlerNeeds(
                prefixes=frozenset().union(*(n.prefixes for n in commands)),
                commands=frozenset().union(*(n.commands or () for n in commands)),
            )
        )
    if states:
        merged.append(HandlerNeeds(states=frozenset().union(*(n.states or () for n in states))))
    return tuple(merged)


def _state_names(found: StateFilter | State) -> set[str | None] | None:
    """The raw states a state filter (or a bare state) lets through; None when it lets any
    through."""
    names: set[str | None] = set()
    for state in found.states if isinstance(found, StateFilter) else (found,):
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
    router: Router,
    kinds: dict[str, frozenset[str]] | None,
    needs: tuple[HandlerNeeds, ...] | None,
) -> None:
    enter = router.propagate_event

    async def propagate_event(update_type: str, event: Any, **kwargs: Any) -> Any:
        if update_type == "callback_query":
            if kinds is not None and event.data is not None:
                data = event.data
                if not any(data.partition(sep)[0] in prefixes for sep, prefixes in kinds.items()):
                    return UNHANDLED
        elif update_type == "message" and needs is not None:
            raw_state = kwargs.get("raw_state")
            if not any(need.could_take(event, raw_state, kwargs) for need in needs):
                return UNHANDLED
        return await enter(update_type=update_type, event=event, **kwargs)

    router.propagate_event = propagate_event  # type: ignore[method-assign]
