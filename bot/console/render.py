"""Turning the bot's HTML messages and keyboards into plain terminal text."""

from __future__ import annotations

import html
import re

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

_LINK = re.compile(r'<a\s+href="([^"]*)"\s*>(.*?)</a>', re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def html_to_text(text: str) -> str:
    """Bold, italics and code lose their tags; a link keeps its address in brackets."""

    def link(match: re.Match[str]) -> str:
        target, label = html.unescape(match.group(1)), match.group(2)
        return label if target in (label, "") else f"{label} ({target})"

    text = _LINK.sub(link, text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def keyboard_lines(
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup, first_number: int = 1
) -> list[str]:
    """One line per keyboard row, each button as `[n] label`."""
    rows = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else markup.keyboard
    lines: list[str] = []
    number = first_number
    for row in rows:
        cells = []
        for button in row:
            label = button if isinstance(button, str) else button.text
            web_app = getattr(button, "web_app", None)
            url = getattr(button, "url", None) or (web_app.url if web_app else None)
            cells.append(f"[{number}] {label}" + (f" ({url})" if url else ""))
            number += 1
        lines.append("  ".join(cells))
    return lines
