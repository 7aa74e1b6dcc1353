"""aiogram's inline keyboard builder without its copies.

aiogram's builder deep-copies the whole keyboard, every button a pydantic model, on each button
added and again when the markup is made: a keyboard of ten buttons costs some sixty model copies
(a millisecond and more per keyboard, on updates that otherwise take a few). The rows here are
copied as lists and the buttons shared: nothing changes a button once it is made.

Its `button()` also hands every field of a button to pydantic, the dozen not given as None, and
validating those costs twice what the button itself does: here a button gets what was given.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder as _AiogramBuilder


class InlineKeyboardBuilder(_AiogramBuilder):
    def button(self, **fields: Any) -> InlineKeyboardBuilder:
        given = {name: value for name, value in fields.items() if value is not None}
        self._button(**given)
        return self

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]
