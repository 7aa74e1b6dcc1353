"""Strategies and checks for the hostile-input test: what the bot offers is discovered from
the real router tree, the callback classes and the conversation states, so new commands,
buttons and flows are attacked without changes here."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.methods import (
    AnswerInlineQuery,
    EditMessageCaption,
    EditMessageText,
    TelegramMethod,
)
from aiogram.types import (
    Animation,
    Audio,
    Chat,
    Contact,
    Dice,
    Document,
    InlineKeyboardMarkup,
    Location,
    PhotoSize,
    ReplyKeyboardMarkup,
    Sticker,
    Venue,
    Video,
    VideoNote,
    Voice,
)
from babel.messages.pofile import read_po
from hypothesis import strategies as st

import bot.keyboards.callbacks as callbacks
from bot.commands import ALL
from bot.i18n import LOCALES_DIR
from bot.paging import CALLBACK_DATA_LIMIT, method_problems

# What the bot offers, discovered.


def commands(dispatcher: Dispatcher) -> list[str]:
    """Every command a router anywhere listens to, and every command in the menus."""
    found = {name for entry in ALL for name in entry.names}

    def walk(router: Router) -> None:
        for observer in router.observers.values():
            for handler in observer.handlers:
                for flt in handler.filters or []:
                    if isinstance(flt.callback, Command):
                        found.update(c for c in flt.callback.commands if isinstance(c, str))
        for sub in router.sub_routers:
            walk(sub)

    walk(dispatcher)
    return sorted(found)


def callback_classes() -> list[type[CallbackData]]:
    return [
        value
        for value in vars(callbacks).values()
        if inspect.isclass(value) and issubclass(value, CallbackData) and value is not CallbackData
    ]


def _subclasses(cls: type[StatesGroup]) -> Iterator[type[StatesGroup]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_states() -> list[str]:
    """Every conversation state of every flow (StatesGroup subclasses of imported modules)."""
    states: list[State] = [s for group in _subclasses(StatesGroup) for s in group.__all_states__]
    return sorted({s.state for s in states if s.state})


# Strategies.

_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
_HTML = st.sampled_from(
    ["<b>", "</i>", "<script>alert(1)</script>", "&amp;", "<a href='x'>", "&#0;", "<", ">", "&"]
)
_ODD = st.sampled_from(
    ["\u202e", "\u200b", "\ufeff", "🏳️‍🌈", "👍🏽", "\x00", "\n\n", "ﷺ", "𝕳", "Z̴̢a̷l̶g̸o", "‮"]
)


def _join(parts: list[str]) -> str:
    return "".join(parts)


texts = st.one_of(
    _TEXT,
    st.lists(st.one_of(_TEXT, _HTML, _ODD), max_size=8).map(_join),
    st.integers(min_value=4000, max_value=9000).map(lambda n: "ja " * (n // 3)),
    st.sampled_from(["ja", "nee", "yes", "no", "👍", "-", "stop", "Utrecht", "0", "/", "@"]),
    st.sampled_from(["1", "-1", "99999999999999999999999", "9223372036854775808", "1e9", "0x1"]),
)


def junk_callback(classes: list[type[CallbackData]], ids: list[int]) -> st.SearchStrategy[str]:
    """Callback data a client could send but the bot never made: junk values, ids of deleted
    or unknown things, or random bytes; never longer than Telegram's 64 bytes."""

    # Only what UTF-8 can carry: Telegram never sends a lone surrogate.
    sendable = st.characters(codec="utf-8")

    def forged(cls: type[CallbackData]) -> st.SearchStrategy[str]:
        parts = []
        for field in cls.model_fields.values():
            if field.annotation is int:
                parts.append(st.sampled_from(ids).map(str) | st.text(sendable, max_size=6))
            elif field.annotation is bool:
                parts.append(st.sampled_from(["0", "1", "yes", "", "2"]))
            else:
                no_colon = st.characters(codec="utf-8", exclude_characters=":")
                parts.append(st.text(no_colon, max_size=12))
        return st.tuples(*parts).map(lambda values: ":".join([cls.__prefix__, *values]))

    data = st.one_of(st.sampled_from(classes).flatmap(forged), st.text(sendable, max_size=64))
    return data.map(lambda text: text.encode()[:CALLBACK_DATA_LIMIT].decode(errors="ignore"))


def media(user_id: int) -> st.SearchStrategy[dict[str, Any]]:
    photo = [PhotoSize(file_id="p", file_unique_id="p", width=9, height=9)]
    kinds: list[dict[str, Any]] = [
        {"photo": photo, "caption": "x"},
        {"document": Document(file_id="d", file_unique_id="d", file_name="a.csv")},
        {
            "sticker": Sticker(
                file_id="s",
                file_unique_id="s",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
            )
        },
        {"voice": Voice(file_id="v", file_unique_id="v", duration=1)},
        {"audio": Audio(file_id="a", file_unique_id="a", duration=1)},
        {"video": Video(file_id="v", file_unique_id="v", width=1, height=1, duration=1)},
        {"video_note": VideoNote(file_id="n", file_unique_id="n", length=1, duration=1)},
        {"animation": Animation(file_id="g", file_unique_id="g", width=1, height=1, duration=1)},
        {"location": Location(latitude=52.09, longitude=5.12)},
        {"location": Location(latitude=-89.9, longitude=179.9)},
        {"venue": Venue(location=Location(latitude=52.1, longitude=5.1), title="x", address="y")},
        {"contact": Contact(phone_number="+31612345678", first_name="X", user_id=user_id)},
        {"dice": Dice(emoji="🎲", value=3)},
    ]
    return st.sampled_from(kinds)


def chats(user_id: int) -> st.SearchStrategy[Chat]:
    return st.sampled_from(
        [
            Chat(id=user_id, type="private"),
            Chat(id=-100_200_300, type="group", title="Buurt"),
            Chat(id=-100_200_301, type="supergroup", title="Wijk"),
        ]
    )


# Checks.


def _segments(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"\{[^}]*\}|<[^>]*>", text) if len(s.strip()) >= 25]


def language_markers() -> dict[str, list[str]]:
    """Per language, pieces of text that only the OTHER language's catalog contains."""
    with open(LOCALES_DIR / "nl" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale="nl")
    english, dutch = [], []
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        source, translated = message.id, str(message.string)
        if source == translated or source in translated or translated in source:
            continue
        english += _segments(source)
        dutch += _segments(translated)
    shared = set(english) & set(dutch)
    return {
        "nl": sorted(set(english) - shared),  # a Dutch user must never see these
        "en": sorted(set(dutch) - shared),
    }


def texts_of(call: TelegramMethod[Any]) -> list[str]:
    found = []
    for name in ("text", "caption"):
        value = getattr(call, name, None)
        if isinstance(value, str):
            found.append(value)
    return found


def limit_problems(call: TelegramMethod[Any]) -> list[str]:
    """Telegram's limits (the bot's own check, `bot.paging`), and what else a person would
    find broken: an empty edit, a button without text, too many inline results or keys."""
    problems = method_problems(call)
    if isinstance(call, EditMessageText | EditMessageCaption) and getattr(call, "text", 0) == "":
        problems.append("empty edit")
    if isinstance(call, AnswerInlineQuery) and len(call.results) > 50:
        problems.append(f"{len(call.results)} inline results")
    markup = getattr(call, "reply_markup", None)
    if isinstance(markup, InlineKeyboardMarkup):
        if any(not b.text.strip() for row in markup.inline_keyboard for b in row):
            problems.append("a button without text")
    elif isinstance(markup, ReplyKeyboardMarkup) and sum(map(len, markup.keyboard)) > 300:
        problems.append("reply keyboard with too many buttons")
    return problems


def now() -> datetime:
    return datetime.now(UTC)
