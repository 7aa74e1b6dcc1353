"""Turning text into weighted index terms.

A word yields its stem (weight 1.0) and, for a compound, the stems of its parts: the head
(last part, which carries the meaning) weighs more than a modifier, and joined runs of
parts are kept too (``schuld|hulp|verlening`` also gives ``schuldhulp``). In short fields
(name, keywords) adjacent words are also joined, so ``taal café`` meets ``taalcafé``.
The same analysis serves the index and the query, which keeps both sides consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from sys import intern

from bot.search.compounds import Decompounder
from bot.search.normalize import STOP_WORDS, Word, joined
from bot.search.stemmer import stem

HEAD_WEIGHT = 0.8
MODIFIER_WEIGHT = 0.5
INNER_JOIN_WEIGHT = 0.6
NESTED_FACTOR = 0.8
BIGRAM_WEIGHT = 0.7

TermWeights = tuple[tuple[str, float], ...]
_CACHE_LIMIT = 50_000
_Put = Callable[[str, float], None]


class Analyzer:
    def __init__(self, lexicon: Iterable[str] = (), short_parts: Iterable[str] = ()) -> None:
        self.decompounder = Decompounder(short_parts)
        self.decompounder.add_words(lexicon)
        self._word_cache: dict[Word, TermWeights] = {}
        self._size = len(self.decompounder)

    def __getstate__(self) -> dict[str, object]:
        """Saved (`bot.search.snapshot`) without the analysed words: they come again."""
        return {**self.__dict__, "_word_cache": {}}

    def learn(self, surfaces: Iterable[str]) -> None:
        """Add words (folded, hyphens removed) to the lexicon used for splitting compounds."""
        self.decompounder.add_words(surfaces)
        self._sync()

    def forget(self, surfaces: Iterable[str]) -> None:
        self.decompounder.remove_words(surfaces)
        self._sync()

    def _sync(self) -> None:
        if len(self.decompounder) != self._size:
            self._size = len(self.decompounder)
            self._word_cache.clear()

    def split(self, word: Word) -> tuple[str, ...] | None:
        """Known parts of a word: its hyphen parts, or a compound split."""
        if len(word) > 1:
            return word
        return self.decompounder.split(word[0])

    def word_terms(self, word: Word) -> TermWeights:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        weights: dict[str, float] = {}

        def put(term: str, weight: float) -> None:
            if len(term) >= 2 and term not in STOP_WORDS and weights.get(term, 0.0) < weight:
                weights[intern(term)] = weight

        put(stem(joined(word)), 1.0)
        parts = self.split(word)
        if parts:
            self._add_parts(parts, put, 1.0)
            for part in parts:
                nested = self.decompounder.split(part)
                if nested:
                    factor = NESTED_FACTOR * (HEAD_WEIGHT if part == parts[-1] else MODIFIER_WEIGHT)
                    self._add_parts(nested, put, factor)
        result = tuple(weights.items())
        if len(self._word_cache) > _CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[word] = result
        return result

    @staticmethod
    def _add_parts(parts: tuple[str, ...], put: _Put, factor: float) -> None:
        last = len(parts) - 1
        for index, part in enumerate(parts):
            put(stem(part), factor * (HEAD_WEIGHT if index == last else MODIFIER_WEIGHT))
        for start in range(len(parts)):
            for end in range(start + 2, len(parts) + 1):
                if end - start < len(parts):
                    put(stem("".join(parts[start:end])), factor * INNER_JOIN_WEIGHT)

    def field_terms(
        self, field_words: Sequence[Word], *, bigrams: bool
    ) -> tuple[dict[str, float], int]:
        """Term frequencies (weighted) and length in words of one field's words."""
        counts: dict[str, float] = {}
        length = 0
        previous: str | None = None
        for word in field_words:
            surface = joined(word)
            if surface in STOP_WORDS:
                previous = None
                continue
            length += 1
            for term, weight in self.word_terms(word):
                counts[term] = counts.get(term, 0.0) + weight
            if bigrams and previous is not None:
                term = intern(stem(previous + surface))
                counts[term] = counts.get(term, 0.0) + BIGRAM_WEIGHT
            previous = surface
        return counts, length
