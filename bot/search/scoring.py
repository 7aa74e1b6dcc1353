"""BM25F-style scoring: field weights, length normalisation and compact postings.

Each initiative's fields (name, keywords, description) are weighted and length-normalised
into one pseudo term frequency per term, saturated with ``k1``; the saturated value is
stored in the postings, so a query only multiplies it by the term's idf and the query-side
weight. Postings are parallel arrays (doc ids, values) per term: small in memory and quick
to walk, with cheap appends and removals.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

K1 = 1.2
FIELD_WEIGHTS: dict[str, float] = {"name": 3.0, "keywords": 2.0, "description": 1.0}
FIELD_B: dict[str, float] = {"name": 0.3, "keywords": 0.3, "description": 0.6}
# Theme terms: the first theme is the initiative's main one.
THEME_POSITION_TF = (2.0, 1.2, 0.8)


@dataclass(slots=True)
class FieldStats:
    """Running totals of field lengths, for the average-length normalisation."""

    docs: int = 0
    totals: dict[str, float] | None = None

    def add(self, lengths: Mapping[str, int], sign: int = 1) -> None:
        if self.totals is None:
            self.totals = dict.fromkeys(FIELD_WEIGHTS, 0.0)
        self.docs += sign
        for name, length in lengths.items():
            self.totals[name] = self.totals.get(name, 0.0) + sign * length

    def average(self, name: str) -> float:
        if not self.docs or self.totals is None:
            return 1.0
        return max(1.0, self.totals.get(name, 0.0) / self.docs)


def saturate(
    field_counts: Mapping[str, Mapping[str, float]],
    lengths: Mapping[str, int],
    stats: FieldStats,
) -> dict[str, float]:
    """Combine per-field term counts into saturated BM25F values per term."""
    combined: dict[str, float] = {}
    for name, counts in field_counts.items():
        weight = FIELD_WEIGHTS[name]
        b = FIELD_B[name]
        norm = 1.0 - b + b * lengths.get(name, 0) / stats.average(name)
        factor = weight / norm
        for term, count in counts.items():
            combined[term] = combined.get(term, 0.0) + count * factor
    return {term: tf / (K1 + tf) for term, tf in combined.items()}


def theme_values(themes: tuple[str, ...]) -> list[float]:
    values = []
    for position, _ in enumerate(themes):
        tf = THEME_POSITION_TF[min(position, len(THEME_POSITION_TF) - 1)]
        values.append(tf / (K1 + tf))
    return values


def idf(df: int, total: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


class Postings:
    def __init__(self) -> None:
        self._ids: dict[str, array[int]] = {}
        self._values: dict[str, array[float]] = {}

    def add(self, doc_id: int, values: Mapping[str, float]) -> None:
        for term, value in values.items():
            ids = self._ids.get(term)
            if ids is None:
                ids = self._ids[term] = array("i")
                self._values[term] = array("f")
            ids.append(doc_id)
            self._values[term].append(value)

    def remove(self, doc_id: int, terms: tuple[str, ...]) -> None:
        for term in terms:
            ids = self._ids.get(term)
            if ids is None:
                continue
            try:
                position = ids.index(doc_id)
            except ValueError:
                continue
            del ids[position]
            del self._values[term][position]
            if not ids:
                del self._ids[term]
                del self._values[term]

    def df(self, term: str) -> int:
        ids = self._ids.get(term)
        return 0 if ids is None else len(ids)

    def arrays(self, term: str) -> tuple[Sequence[int], Sequence[float]]:
        """The ids and values of a term's postings (empty for an unknown term)."""
        ids = self._ids.get(term)
        if ids is None:
            return (), ()
        return ids, self._values[term]

    def items(self, term: str) -> Iterator[tuple[int, float]]:
        ids, values = self.arrays(term)
        return zip(ids, values, strict=True)

    def value(self, term: str, doc_id: int) -> float:
        ids = self._ids.get(term)
        if ids is None:
            return 0.0
        try:
            return self._values[term][ids.index(doc_id)]
        except ValueError:
            return 0.0

    def __contains__(self, term: str) -> bool:
        return term in self._ids

    def __len__(self) -> int:
        return len(self._ids)
