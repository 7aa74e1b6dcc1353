"""What a plain message outside any flow most likely is: a greeting, a thank-you or "ok", or
words to search for. Decided on the words alone, without the database."""

from __future__ import annotations

import enum
import re

_GREETINGS = frozenset(
    [
        "hallo",
        "hoi",
        "hi",
        "hey",
        "hee",
        "hai",
        "hello",
        "hallootjes",
        "hoihoi",
        "goedemorgen",
        "goedemiddag",
        "goedenavond",
        "daag",
        "moi",
        "yo",
        "heey",
        "hiya",
        "howdy",
        "greetings",
        "salaam",
        "salam",
    ]
)
_GREETING_PAIRS = frozenset(
    {
        ("goede", "morgen"),
        ("goede", "middag"),
        ("goede", "avond"),
        ("good", "morning"),
        ("good", "afternoon"),
        ("good", "evening"),
    }
)
_THANKS = frozenset(
    [
        "bedankt",
        "dankje",
        "dankjewel",
        "dankuwel",
        "thanks",
        "thx",
        "thank",
        "ty",
        "merci",
        "top",
        "super",
        "prima",
        "ok",
        "oke",
        "okay",
        "oké",
        "okido",
        "goed",
        "fijn",
        "mooi",
        "cool",
        "👍",
        "🙏",
        "❤️",
        "👌",
    ]
)
_THANKS_PAIRS = frozenset(
    {("dank", "je"), ("dank", "u"), ("thank", "you"), ("heel", "fijn"), ("dank", "jullie")}
)
_MAX_GREETING_WORDS = 6
_WORD = re.compile(r"[^\W\d_]+|[\U0001F300-\U0001FAFF\u2764\u2600-\u27BF]", re.UNICODE)


class FreeText(enum.Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    SEARCH = "search"


def _squeeze(word: str) -> str:
    """ "hallooo" → "hallo", "hoiii" → "hoi": stretched letters at the end count once."""
    return re.sub(r"(.)\1{2,}$", r"\1", word)


def read_free_text(text: str) -> FreeText:
    words = [_squeeze(word) for word in _WORD.findall(text.casefold())]
    if not any(word.isalpha() for word in words):
        return FreeText.THANKS  # only emoji or punctuation: a nod, not a search
    first_two = tuple(words[:2])
    if len(words) <= _MAX_GREETING_WORDS and (
        words[0] in _GREETINGS or first_two in _GREETING_PAIRS
    ):
        return FreeText.GREETING
    if len(words) <= 3 and (all(word in _THANKS for word in words) or first_two in _THANKS_PAIRS):
        return FreeText.THANKS
    return FreeText.SEARCH
