"""aiogram's inline keyboard builder without its copies.

aiogram's builder deep-copies the whole keyboard, every button a pydantic model, on each button
added and again when the markup is made: a keyboard of ten buttons costs some sixty model copies
(a millisecond and more per keyboard, on updates that otherwise take a few). The rows here are
copied as lists and the buttons shared: nothing changes a button once it is made.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder as _AiogramBuilder


class InlineKeyboardBuilder(_AiogramBuilder):
    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]
