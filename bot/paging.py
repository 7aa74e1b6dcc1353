"""Telegram's limits, and lists cut into pages that stay within them.

A message holds 4,096 characters of text (as a person sees it: after the HTML tags are read),
a caption 1,024, a keyboard 100 buttons, a button's callback data 64 bytes. Every list the bot
shows, however long it grows, goes through here: text pages by what they hold, button pages
by count, with the same ◀ n/m ▶ row everywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
BUTTON_LIMIT = 100
CALLBACK_DATA_LIMIT = 64
ALERT_LIMIT = 200  # the text of a callback query's answer

# Room left on a text page for a heading and the line under it.
TEXT_PAGE_BUDGET = 3600
# People per page of a keyboard with one button each (the page row comes on top).
BUTTONS_PER_PAGE = 20

_TAG = re.compile(r"<[^>]*>")

T = TypeVar("T")


def visible_length(text: str, *, parse_html: bool = True) -> int:
    """How long Telegram counts a text: the characters left after the HTML is read, in UTF-16
    code units (an emoji outside the basic plane counts twice)."""
    if parse_html:
        text = html.unescape(_TAG.sub("", text))
    return len(text.encode("utf-16-le")) // 2


def cut(line: str, budget: int) -> str:
    """`line`, or its beginning with "…" when it alone is longer than `budget` (plain text)."""
    if visible_length(line) <= budget:
        return line
    plain = html.unescape(_TAG.sub("", line))
    while visible_length(plain, parse_html=False) > budget - 1:
        plain = plain[: max(1, len(plain) - max(1, len(plain) // 10))]
    return html.escape(plain.rstrip(), quote=False) + "…"


def text_pages(lines: Sequence[str], budget: int = TEXT_PAGE_BUDGET) -> list[list[str]]:
    """The lines in pages that each hold at most `budget` visible characters (joined by
    newlines); never an empty list."""
    pages: list[list[str]] = [[]]
    used = 0
    for line in lines:
        line = cut(line, budget)
        size = visible_length(line) + 1
        if pages[-1] and used + size > budget:
            pages.append([])
            used = 0
        pages[-1].append(line)
        used += size
    return pages


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items, which page it is (from 0) and how many there are."""

    items: Sequence[T]
    number: int
    total: int

    @property
    def first(self) -> int:
        """The list number (from 1) of the first item, when pages are cut by count."""
        return self.number * BUTTONS_PER_PAGE + 1


def clamp(number: int, total: int) -> int:
    """A page number that exists (an old button may ask for a page that no longer does)."""
    return min(max(number, 0), max(total, 1) - 1)


def page_of(items: Sequence[T], number: int, per_page: int = BUTTONS_PER_PAGE) -> Page[T]:
    total = max(1, -(-len(items) // per_page))
    number = clamp(number, total)
    return Page(items[number * per_page : (number + 1) * per_page], number, total)


def nav_row(number: int, total: int, to: Callable[[int], str]) -> list[InlineKeyboardButton]:
    """◀ n/m ▶ for a list of more than one page (empty otherwise); `to(page)` packs the button."""
    if total <= 1:
        return []
    row = []
    if number > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=to(number - 1)))
    row.append(InlineKeyboardButton(text=f"{number + 1}/{total}", callback_data=to(number)))
    if number + 1 < total:
        row.append(InlineKeyboardButton(text="▶", callback_data=to(number + 1)))
    return row


def limit_problems(
    text: str | None,
    *,
    caption: bool = False,
    parse_html: bool = True,
    markup: InlineKeyboardMarkup | None = None,
) -> list[str]:
    """What Telegram would refuse in a message: too long a text or caption, too many buttons,
    too long callback data. Empty when it all fits."""
    problems = []
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    # Telegram never counts more than two units a character (tags and entities count less), so
    # most texts fit without reading their HTML.
    if (
        text is not None
        and 2 * len(text) > limit
        and visible_length(text, parse_html=parse_html) > limit
    ):
        problems.append(f"{'caption' if caption else 'text'} longer than {limit}")
    if markup is not None:
        buttons = [button for row in markup.inline_keyboard for button in row]
        if len(buttons) > BUTTON_LIMIT:
            problems.append(f"{len(buttons)} buttons, more than {BUTTON_LIMIT}")
        for button in buttons:
            data = button.callback_data or ""
            if len(data.encode()) > CALLBACK_DATA_LIMIT:
                problems.append(f"callback data longer than {CALLBACK_DATA_LIMIT} bytes: {data}")
    return problems


def reads_html(method: TelegramMethod[Any]) -> bool:
    """Whether Telegram reads the method's text as HTML: the bot's default parse mode (HTML)
    unless the method names another one or none."""
    mode = getattr(method, "parse_mode", None)
    return not isinstance(mode, str | type(None)) or (mode or "").upper() == "HTML"


def method_problems(method: TelegramMethod[Any]) -> list[str]:
    """What Telegram would refuse in a Bot API call the bot makes (see `limit_problems`)."""
    markup = getattr(method, "reply_markup", None)
    markup = markup if isinstance(markup, InlineKeyboardMarkup) else None
    if isinstance(method, SendMessage | EditMessageText):
        return limit_problems(method.text, parse_html=reads_html(method), markup=markup)
    if isinstance(method, SendDocument | SendPhoto):
        return limit_problems(
            method.caption, caption=True, parse_html=reads_html(method), markup=markup
        )
    if isinstance(method, EditMessageReplyMarkup):
        return limit_problems(None, markup=markup)
    if isinstance(method, AnswerCallbackQuery) and len(method.text or "") > ALERT_LIMIT:
        return [f"callback answer longer than {ALERT_LIMIT}"]
    return []
