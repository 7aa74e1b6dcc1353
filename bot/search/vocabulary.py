"""The vocabulary of the field: synonyms, everyday wording, theme words and compound parts.

Loaded from ``vocabulary.toml`` (next to this module, see its header for the format).
Every word or phrase is reduced to a *key*: the stems of its words joined by spaces, so
``"65-plussers"``, ``"65 plussers"`` style variants and plurals meet. Lookups return the
phrases a key expands to, with weights, and the theme slugs it points to.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from bot.catalog.themes import THEMES
from bot.search.normalize import Word, joined, words
from bot.search.stemmer import stem
from bot.search.themes import theme_label_words

DEFAULT_GROUP_WEIGHT = 0.8
DEFAULT_THEME_WEIGHT = 0.7
TABLE_THEME_WEIGHT = 0.6
LABEL_THEME_WEIGHT = 0.9


@dataclass(frozen=True, slots=True)
class Phrase:
    """A word or phrase of the vocabulary: its folded words and its key."""

    words: tuple[Word, ...]
    key: str

    @property
    def text(self) -> str:
        return " ".join(joined(word) for word in self.words)


def phrase_of(text: str) -> Phrase:
    parsed = tuple(words(text))
    return Phrase(parsed, key_of(parsed))


def key_of(parsed: Iterable[Word]) -> str:
    return " ".join(stem(joined(word)) for word in parsed)


@dataclass(slots=True)
class Vocabulary:
    """Expansion tables built from the vocabulary file (or from a mapping in tests)."""

    expansions: dict[str, dict[str, tuple[Phrase, float]]] = field(default_factory=dict)
    themes: dict[str, dict[str, float]] = field(default_factory=dict)
    phrase_keys: set[str] = field(default_factory=set)
    lexicon: set[str] = field(default_factory=set)
    short_parts: set[str] = field(default_factory=set)
    surface_words: set[str] = field(default_factory=set)
    max_phrase_words: int = 1

    @classmethod
    def load_default(cls) -> Vocabulary:
        data = resources.files(__package__).joinpath("vocabulary.toml").read_bytes()
        return cls.from_mapping(tomllib.loads(data.decode("utf-8")))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Vocabulary:
        vocabulary = cls()
        for slug, label_slugs in theme_label_words().items():
            for theme in label_slugs:
                vocabulary._add_theme(phrase_of(slug), theme, LABEL_THEME_WEIGHT)
        for group in data.get("group", []):
            members = [phrase_of(text) for text in group["words"]]
            weight = float(group.get("weight", DEFAULT_GROUP_WEIGHT))
            theme_weight = float(group.get("theme_weight", DEFAULT_THEME_WEIGHT))
            for member in members:
                vocabulary._register(member)
                for other in members:
                    vocabulary._add_expansion(member, other, weight)
                for theme in group.get("themes", []):
                    vocabulary._add_theme(member, theme, theme_weight)
        for link in data.get("link", []):
            sources = [phrase_of(text) for text in link["from"]]
            targets = [phrase_of(text) for text in link["to"]]
            weight = float(link.get("weight", DEFAULT_GROUP_WEIGHT))
            theme_weight = float(link.get("theme_weight", DEFAULT_THEME_WEIGHT))
            for source in sources:
                vocabulary._register(source)
                for target in targets:
                    vocabulary._register(target)
                    vocabulary._add_expansion(source, target, weight)
                for theme in link.get("themes", []):
                    vocabulary._add_theme(source, theme, theme_weight)
        for text, slugs in data.get("themes", {}).items():
            phrase = phrase_of(text)
            vocabulary._register(phrase)
            for theme in slugs:
                vocabulary._add_theme(phrase, theme, TABLE_THEME_WEIGHT)
        lexicon = data.get("lexicon", {})
        for text in lexicon.get("words", []):
            vocabulary.lexicon.update(joined(word) for word in words(text))
        for text in lexicon.get("short_parts", []):
            vocabulary.short_parts.update(joined(word) for word in words(text))
        return vocabulary

    def _register(self, phrase: Phrase) -> None:
        if not phrase.words:
            return
        if len(phrase.words) > 1:
            self.phrase_keys.add(phrase.key)
            self.max_phrase_words = max(self.max_phrase_words, len(phrase.words))
        for word in phrase.words:
            self.surface_words.add(joined(word))
            self.lexicon.update(part for part in word if len(part) >= 4)

    def _add_expansion(self, source: Phrase, target: Phrase, weight: float) -> None:
        if not source.words or not target.words or source.key == target.key:
            return
        table = self.expansions.setdefault(source.key, {})
        current = table.get(target.key)
        if current is None or current[1] < weight:
            table[target.key] = (target, weight)

    def _add_theme(self, phrase: Phrase, theme: str, weight: float) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme slug in vocabulary: {theme!r}")
        if not phrase.words:
            return
        table = self.themes.setdefault(phrase.key, {})
        table[theme] = max(table.get(theme, 0.0), weight)

    def expand(self, key: str) -> list[tuple[Phrase, float]]:
        """Phrases that ``key`` also looks for, strongest first."""
        found = self.expansions.get(key)
        if not found:
            return []
        return sorted(found.values(), key=lambda item: (-item[1], item[0].key))

    def themes_for(self, key: str) -> dict[str, float]:
        return dict(self.themes.get(key, {}))

    def knows(self, key: str) -> bool:
        return key in self.expansions or key in self.themes
