"""Inline keyboards, built as aiogram's builder builds them, for what their buttons cost.

aiogram's builder copies its whole keyboard on each button added (each button a pydantic model:
some sixty copies for a keyboard of ten), checks the type of every button again on each, and
hands every field of a button to pydantic, the dozen not given as None: a keyboard cost about
twice its buttons. This one keeps its rows as lists and shares the buttons (nothing changes a
button once it is made), and a button gets what was given. Rows are filled, split and adjusted
exactly as aiogram's builder does (`tests/test_keyboard_builder.py` compares the two).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Self

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

MAX_WIDTH = 8  # buttons in one row, as aiogram's inline builder allows


class InlineKeyboardBuilder:
    __slots__ = ("_rows",)

    def __init__(self) -> None:
        self._rows: list[list[InlineKeyboardButton]] = []

    @property
    def buttons(self) -> Iterator[InlineKeyboardButton]:
        return itertools.chain.from_iterable(self._rows)

    def button(self, **fields: Any) -> Self:
        """A button of the given fields (those None left out), its `callback_data` packed when
        it is a `CallbackData`, added as `add` adds."""
        given = {name: value for name, value in fields.items() if value is not None}
        callback_data = given.get("callback_data")
        if isinstance(callback_data, CallbackData):
            given["callback_data"] = callback_data.pack()
        return self.add(InlineKeyboardButton(**given))

    def add(self, *buttons: InlineKeyboardButton) -> Self:
        """Buttons at the end of the last row while it has room, the rest in full rows."""
        _check(buttons)
        rows = self._rows
        if rows and len(rows[-1]) < MAX_WIDTH:
            room = MAX_WIDTH - len(rows[-1])
            rows[-1].extend(buttons[:room])
            buttons = buttons[room:]
        rows.extend(_chunks(buttons, MAX_WIDTH))
        return self

    def row(self, *buttons: InlineKeyboardButton, width: int | None = None) -> Self:
        """Buttons in new rows of their own, `width` (at most eight) to a row."""
        width = _width(MAX_WIDTH if width is None else width)
        _check(buttons)
        self._rows.extend(_chunks(buttons, width))
        return self

    def adjust(self, *sizes: int, repeat: bool = False) -> Self:
        """All buttons so far in rows of `sizes`, the last size for the rest (or the sizes
        again, with `repeat`)."""
        widths = [_width(size) for size in sizes or (MAX_WIDTH,)]
        each = (
            itertools.cycle(widths)
            if repeat
            else itertools.chain(widths, itertools.repeat(widths[-1]))
        )
        rows: list[list[InlineKeyboardButton]] = []
        row: list[InlineKeyboardButton] = []
        width = next(each)
        for button in self.buttons:
            if len(row) >= width:
                rows.append(row)
                width, row = next(each), []
            row.append(button)
        if row:
            rows.append(row)
        self._rows = rows
        return self

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._rows]

    def as_markup(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(inline_keyboard=self.export())


def _chunks(
    buttons: tuple[InlineKeyboardButton, ...], width: int
) -> Iterable[list[InlineKeyboardButton]]:
    return (list(buttons[start : start + width]) for start in range(0, len(buttons), width))


def _width(size: Any) -> int:
    if not isinstance(size, int):
        raise ValueError("Only int sizes are allowed")
    if not 1 <= size <= MAX_WIDTH:
        raise ValueError(f"Row size {size} is not allowed, range: [1, {MAX_WIDTH}]")
    return size


def _check(buttons: tuple[Any, ...]) -> None:
    for button in buttons:
        if not isinstance(button, InlineKeyboardButton):
            raise ValueError(
                f"{button!r} should be type 'InlineKeyboardButton' not {type(button).__name__!r}"
            )
