"""Text normalisation for search: case and diacritic folding, tokenising and stop words.

A *word* is a tuple of its parts: ``("buurtmoestuin",)`` for a plain word and
``("zonne", "energie")`` for a hyphenated one, so that callers can treat a hyphen as a
known compound boundary. Everything here is pure and deterministic.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import resources

from bot.text import fold

Word = tuple[str, ...]

_PLUS_RE = re.compile(r"(\d+)\s*\+")
_PLURAL_APOSTROPHE_RE = re.compile(r"([a-z0-9])'s\b")
_WORD_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _load_stop_words() -> frozenset[str]:
    data = resources.files(__package__).joinpath("stopwords.toml").read_text(encoding="utf-8")
    return frozenset(tomllib.loads(data)["words"])


# Function words of Dutch and English plus chat filler words (see stopwords.toml).
STOP_WORDS: frozenset[str] = _load_stop_words()


def words(text: str) -> list[Word]:
    """Split ``text`` into folded words; hyphenated words keep their parts.

    ``"65+"`` becomes ``"65plus"``, ``"opa's"`` becomes ``"opas"`` and single letters are
    dropped. Word strings are interned: the same word is one object everywhere.
    """
    folded = fold(text)
    if "+" in folded:
        folded = _PLUS_RE.sub(r"\1plus ", folded)
    if "'" in folded:
        folded = _PLURAL_APOSTROPHE_RE.sub(r"\1s", folded)
    intern = sys.intern
    result: list[Word] = []
    for token in _WORD_RE.findall(folded):
        if "-" not in token:
            if len(token) >= 2:
                result.append((intern(token),))
            continue
        parts = tuple(intern(part) for part in token.split("-") if part)
        if sum(len(part) for part in parts) >= 2:
            result.append(parts)
    return result


def joined(word: Word) -> str:
    """The word written as one string, without hyphens."""
    return "".join(word)


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` written as single strings (hyphens removed)."""
    return [joined(word) for word in words(text)]


def flat_parts(text: str) -> list[str]:
    """Folded words of ``text`` with hyphenated words split into their parts."""
    return [part for word in words(text) for part in word]


def is_stop(token: str) -> bool:
    return token in STOP_WORDS


def content_tokens(text: str) -> list[str]:
    """Folded words of ``text`` without stop words."""
    return [token for token in tokens(text) if token not in STOP_WORDS]
