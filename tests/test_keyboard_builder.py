"""The keyboards and callback data Telegram gets are those aiogram's own builder and `pack` make:
the project's builder and `QuickPack.pack` only make them for less (`bot.keyboards.builder`)."""

from __future__ import annotations

import inspect
import itertools
import random
from enum import Enum
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder as AiogramBuilder

import bot.keyboards.callbacks as callbacks
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import EventAction, EventCallback, QuickPack


def _callback_classes() -> list[type[CallbackData]]:
    return [
        value
        for _, value in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(value, CallbackData) and value is not CallbackData
    ]


def _samples(annotation: Any) -> list[Any]:
    if annotation is bool:
        return [True, False]
    if annotation is int:
        return [0, 7, -3, 123456789]
    if annotation is str:
        return ["", "abc", "Zeist-Oost", "ümlaut ✓"]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return list(annotation)
    raise AssertionError(f"no samples for {annotation!r}")


def _instances(cls: type[CallbackData]) -> list[CallbackData]:
    fields = cls.model_fields
    choices = [_samples(field.annotation) for field in fields.values()]
    combinations = list(itertools.product(*choices))
    random.Random(cls.__name__).shuffle(combinations)
    return [cls(**dict(zip(fields, values, strict=True))) for values in combinations[:40]]


def test_every_callback_of_the_bot_is_packed_quickly() -> None:
    """A callback class that forgot the base would still work, at aiogram's price: none did."""
    found = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith(("bot.", "handlers.", "webapp.", "scheduler.")):
            found.append(cls)
    assert found
    assert [cls.__name__ for cls in found if not issubclass(cls, QuickPack)] == []
    assert len(_callback_classes()) == len(found)  # all of them live in one module


@pytest.mark.parametrize("cls", _callback_classes(), ids=lambda cls: cls.__name__)
def test_a_callback_packs_as_aiogram_packs_it(cls: type[CallbackData]) -> None:
    for callback in _instances(cls):
        try:
            expected = CallbackData.pack(callback)
        except ValueError as refused:
            with pytest.raises(ValueError, match="too long"):
                callback.pack()
            assert "too long" in str(refused)
            continue
        assert callback.pack() == expected
        if "" not in callback.model_dump().values():  # aiogram reads "" back as the default
            assert cls.unpack(callback.pack()) == callback


def test_a_value_with_the_separator_or_too_long_is_refused_as_aiogram_refuses_it() -> None:
    bad = callbacks.EventFormCallback(field="title", value="a:b")
    with pytest.raises(ValueError, match="Separator symbol ':' can not be used in value value"):
        bad.pack()
    with pytest.raises(ValueError, match="Separator symbol"):
        CallbackData.pack(bad)
    long = callbacks.EventFormCallback(field="title", value="é" * 30)  # 60 characters, 69 bytes
    with pytest.raises(ValueError, match="too long"):
        long.pack()
    with pytest.raises(ValueError, match="too long"):
        CallbackData.pack(long)


def _button(number: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=f"b{number}", callback_data=f"x:{number}")


def _apply(builder: Any, steps: list[tuple[str, Any]]) -> Any:
    for name, argument in steps:
        if name == "button":
            builder.button(**argument)
        elif name == "add":
            builder.add(*argument)
        elif name == "row":
            buttons, width = argument
            builder.row(*buttons, width=width)
        else:
            sizes, repeat = argument
            builder.adjust(*sizes, repeat=repeat)
    return builder.as_markup().model_dump(exclude_none=True)


def _steps(chance: random.Random) -> list[tuple[str, Any]]:
    numbers = itertools.count()
    steps: list[tuple[str, Any]] = []
    for _ in range(chance.randint(1, 8)):
        kind = chance.choice(["button", "button", "add", "row", "adjust"])
        if kind == "button":
            number = next(numbers)
            data: Any = (
                EventCallback(action=EventAction.JOIN, event_id=number)
                if chance.random() < 0.5
                else f"x:{number}"
            )
            fields = {"text": f"b{number}", "callback_data": data, "url": None}
            steps.append(("button", fields))
        elif kind == "add":
            steps.append(("add", [_button(next(numbers)) for _ in range(chance.randint(0, 12))]))
        elif kind == "row":
            buttons = [_button(next(numbers)) for _ in range(chance.randint(0, 12))]
            steps.append(("row", (buttons, chance.choice([None, 1, 2, 3, 5, 8]))))
        else:
            sizes = [chance.randint(1, 8) for _ in range(chance.randint(0, 4))]
            steps.append(("adjust", (sizes, chance.random() < 0.3)))
    return steps


def test_the_builder_makes_the_rows_aiogram_makes() -> None:
    chance = random.Random(20261206)
    for _ in range(400):
        steps = _steps(chance)
        assert _apply(InlineKeyboardBuilder(), steps) == _apply(AiogramBuilder(), steps), steps


@pytest.mark.parametrize("size", [0, 9, "2", 2.0])
def test_a_row_size_aiogram_refuses_is_refused(size: Any) -> None:
    with pytest.raises(ValueError):
        AiogramBuilder().add(_button(1)).adjust(size)
    with pytest.raises(ValueError):
        InlineKeyboardBuilder().add(_button(1)).adjust(size)
    with pytest.raises(ValueError):
        InlineKeyboardBuilder().row(_button(1), width=size)


def test_only_inline_buttons_go_in() -> None:
    with pytest.raises(ValueError, match="should be type 'InlineKeyboardButton'"):
        InlineKeyboardBuilder().add("a button")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="should be type 'InlineKeyboardButton'"):
        InlineKeyboardBuilder().row("a button")  # type: ignore[arg-type]
