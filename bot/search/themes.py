"""Themes as the search engine sees them: label words that name a theme, and the index term
under which initiatives with a theme are filed. The themes themselves live in the catalogue."""

from __future__ import annotations

import functools

from bot.catalog.themes import THEMES
from bot.search.normalize import tokens

# Label words too general to stand for a theme on their own.
_WEAK_LABEL_WORDS = frozenset({"en", "and", "spaces", "older", "young", "people", "informal"})


def theme_label_words() -> dict[str, set[str]]:
    """Folded label words (Dutch and English) mapped to the theme slugs they name."""
    result: dict[str, set[str]] = {}
    for slug, label in THEMES.items():
        names = {label.nl, label.en, slug.replace("-", " ")}
        for name in names:
            for token in tokens(name):
                if token not in _WEAK_LABEL_WORDS:
                    result.setdefault(token, set()).add(slug)
    return result


@functools.lru_cache(maxsize=1024)
def theme_term(slug: str) -> str:
    """The index term under which initiatives with theme ``slug`` are filed (one string per
    theme, shared by every initiative that has it)."""
    return f"#{slug}"
