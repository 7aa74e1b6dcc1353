"""Typo tolerance: finding known words within a few edits of an unknown query word.

The dictionary holds the folded words of the indexed texts and of the vocabulary, bucketed
by first letter (typos in the first letter are rare, and it keeps lookups fast). The number
of edits allowed grows with the word's length; short words are never corrected, so
``tuin`` does not turn into ``tuig`` and three-letter words do not match everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 5


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length (0 = no fuzzy matching)."""
    size = len(word)
    if size < MIN_LENGTH:
        return 0
    if size <= 7:
        return 1
    if size <= 11:
        return 2
    return 3


class FuzzyDictionary:
    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._buckets: dict[str, list[str]] | None = None

    def add(self, words: Iterable[str]) -> None:
        for word in words:
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                if word not in self._counts:
                    self._buckets = None
                self._counts[word] += 1

    def remove(self, words: Iterable[str]) -> None:
        for word in words:
            count = self._counts.get(word, 0)
            if count == 1:
                del self._counts[word]
                self._buckets = None
            elif count > 1:
                self._counts[word] = count - 1

    def count(self, word: str) -> int:
        return self._counts.get(word, 0)

    def _bucket(self, first: str) -> list[str]:
        if self._buckets is None:
            buckets: dict[str, list[str]] = {}
            for word in self._counts:
                buckets.setdefault(word[0], []).append(word)
            for bucket in buckets.values():
                bucket.sort()
            self._buckets = buckets
        return self._buckets.get(first, [])

    def candidates(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Known words within the allowed edits, fewest edits and most frequent first."""
        edits = max_edits(word)
        if edits == 0:
            return []
        found = process.extract(
            word,
            self._bucket(word[0]),
            scorer=OSA.distance,
            score_cutoff=edits,
            limit=None,
        )
        ranked = sorted(
            ((candidate, int(distance)) for candidate, distance, _ in found if candidate != word),
            key=lambda item: (item[1], -self._counts[item[0]], item[0]),
        )
        return ranked[:limit]

    def __len__(self) -> int:
        return len(self._counts)
