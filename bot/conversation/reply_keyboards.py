"""The modes that show a reply keyboard (search mode, the location step of an initiative), the
text their buttons send, and the answer to such a button pressed outside its mode. The
middleware (`bot.middlewares.reply_keyboards`) and the steps that take typed answers share it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiogram.types import Message, ReplyKeyboardRemove

from bot.i18n import _
from bot.keyboards import initiatives as initiative_keys
from bot.keyboards import search as search_keys
from bot.states import EditStates, RegisterStates, SearchStates


@dataclass(frozen=True, slots=True)
class ReplyKeyboardMode:
    states: frozenset[str]
    commands: frozenset[str]  # commands that stay in the mode
    labels: Callable[[], tuple[str, ...]]  # the keyboard's text buttons, in the current language


MODES = (
    ReplyKeyboardMode(
        states=frozenset({SearchStates.query.state or ""}),
        commands=frozenset({"zoek", "search", "zoeken"}),
        labels=lambda: (search_keys.stop_label(),),
    ),
    ReplyKeyboardMode(
        states=frozenset({RegisterStates.answering.state or "", EditStates.value.state or ""}),
        commands=frozenset(),
        labels=lambda: (
            initiative_keys.back_label(),
            initiative_keys.skip_label(),
            initiative_keys.keep_label(),
            initiative_keys.cancel_label(),
            initiative_keys.remove_label(),
        ),
    ),
)


def mode_of(state: str | None) -> ReplyKeyboardMode | None:
    return next((mode for mode in MODES if state in mode.states), None)


def is_reply_button_label(text: str) -> bool:
    """True for the text a reply keyboard's button sends, in the current language."""
    return any(text in mode.labels() for mode in MODES)


async def answer_stale_reply_button(message: Message) -> None:
    """A reply keyboard's button of another step: nothing happens and the keyboard goes."""
    await message.answer(
        _(
            "That button belongs to an earlier step, so I've taken it away. Nothing has "
            "changed: go on where you were."
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
