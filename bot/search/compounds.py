"""Splitting Dutch compound words into known parts.

``buurtmoestuin`` → ``buurt + moestuin``, ``vrijwilligerswerk`` → ``vrijwilliger + werk``
(linking ``-s-``), ``kinderboeken`` → ``kind + boeken`` (``-er-``), ``zonnepanelen`` →
``zonne + panelen``. A part is *known* when it, or its stem, is in the lexicon: the words of
the indexed texts plus the vocabulary of the field. The longest known first part wins, and
every other part must be known too (or split further). Results are cached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.search.normalize import STOP_WORDS
from bot.search.stemmer import stem

_LINKERS = ("en", "er", "s", "e")
MIN_PART = 4
MAX_WORD = 40
_CACHE_LIMIT = 50_000


class Decompounder:
    """Splits words against a growing lexicon of known words."""

    def __init__(self, short_parts: Iterable[str] = ()) -> None:
        self._words: Counter[str] = Counter()
        self._stems: Counter[str] = Counter()
        # Three-letter parts are allowed only when listed (bos, les, zon, bus ...):
        # taking every short corpus word as a part splits far too eagerly.
        self._short = {part for part in short_parts if len(part) == 3}
        self._short_stems = {stem(part) for part in self._short}
        self._cache: dict[str, tuple[str, ...] | None] = {}
        self._sub_cache: dict[str, tuple[str, ...] | None] = {}

    def __getstate__(self) -> dict[str, object]:
        """Saved (`bot.search.snapshot`) without the splits found: they are found again."""
        return {**self.__dict__, "_cache": {}, "_sub_cache": {}}

    def add_words(self, words: Iterable[str]) -> None:
        changed = False
        for word in words:
            if len(word) < MIN_PART or word in STOP_WORDS or not word.isalpha():
                continue
            if self._words[word] == 0:
                changed = True
                self._stems[stem(word)] += 1
            self._words[word] += 1
        if changed:
            self.clear_cache()

    def remove_words(self, words: Iterable[str]) -> None:
        for word in words:
            count = self._words.get(word, 0)
            if count <= 0:
                continue
            if count == 1:
                del self._words[word]
                key = stem(word)
                self._stems[key] -= 1
                if self._stems[key] <= 0:
                    del self._stems[key]
                self.clear_cache()
            else:
                self._words[word] = count - 1

    def clear_cache(self) -> None:
        self._cache.clear()
        self._sub_cache.clear()

    def is_known(self, part: str) -> bool:
        if len(part) < MIN_PART:
            return part in self._short or (len(part) == 3 and stem(part) in self._short_stems)
        if part in STOP_WORDS:
            return False
        return part in self._words or stem(part) in self._stems

    def split(self, word: str) -> tuple[str, ...] | None:
        """Split ``word`` into two or more known parts, or return None."""
        if word in self._cache:
            return self._cache[word]
        result: tuple[str, ...] | None = None
        if 6 <= len(word) <= MAX_WORD and word.isalpha():
            result = self._split(word, top=True)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def _split(self, word: str, *, top: bool) -> tuple[str, ...] | None:
        if not top:
            if self.is_known(word):
                return (word,)
            if word in self._sub_cache:
                return self._sub_cache[word]
        result = self._search(word)
        if not top:
            if len(self._sub_cache) > _CACHE_LIMIT:
                self._sub_cache.clear()
            self._sub_cache[word] = result
        return result

    def _search(self, word: str) -> tuple[str, ...] | None:
        for cut in range(len(word) - 3, 2, -1):
            head = word[:cut]
            if not self.is_known(head):
                continue
            rest = word[cut:]
            tail = self._split_rest(rest)
            if tail is not None:
                return (head, *tail)
        return None

    def _split_rest(self, rest: str) -> tuple[str, ...] | None:
        if len(rest) >= 3:
            direct = self._split(rest, top=False)
            if direct is not None:
                return direct
        for linker in _LINKERS:
            if rest.startswith(linker) and len(rest) - len(linker) >= 3:
                linked = self._split(rest[len(linker) :], top=False)
                if linked is not None:
                    return linked
        return None

    def __len__(self) -> int:
        return len(self._words)
