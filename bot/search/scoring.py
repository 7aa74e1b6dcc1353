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
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


# Gaps (in postings) that never call for compacting: small indexes need not bother.
_TIDY_SLACK = 65_536


def idf(df: int, total: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


class Postings:
    """Every posting of the index in two flat arrays (initiative ids, saturated values).

    Each term gets a number and a slot in those arrays: where it starts, how many postings it
    has and how many fit. A term's postings stay in the order they were added. A full slot
    moves to the end of the arrays with room to grow, and :meth:`compact` closes the gaps
    that leaves. At 100,000 initiatives this is a few large arrays instead of hundreds of
    thousands of small ones: a fraction of the memory, and quick to save and read back.
    """

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._terms: list[str] = []  # by number; "" for a number free to reuse
        self._free: list[int] = []
        self._start = array("i")
        self._length = array("i")
        self._room = array("i")
        self._ids = array("i")
        self._values = array("f")
        self._live = 0

    def add(self, doc_id: int, values: Mapping[str, float]) -> array[int]:
        """Add one initiative's postings; returns the numbers of its terms, in order."""
        numbers = array("i")
        for term, value in values.items():
            number = self._numbers.get(term)
            if number is None:
                number = self._new_term(term)
            length = self._length[number]
            if length == self._room[number]:
                self._grow(number)
            position = self._start[number] + length
            self._ids[position] = doc_id
            self._values[position] = value
            self._length[number] = length + 1
            numbers.append(number)
        self._live += len(numbers)
        return numbers

    def remove(self, doc_id: int, numbers: Iterable[int]) -> None:
        """Take one initiative's postings out of the terms with these numbers."""
        for number in numbers:
            start, length = self._start[number], self._length[number]
            end = start + length
            try:
                position = self._ids.index(doc_id, start, end)
            except ValueError:
                continue
            self._ids[position : end - 1] = self._ids[position + 1 : end]
            self._values[position : end - 1] = self._values[position + 1 : end]
            self._length[number] = length - 1
            self._live -= 1
            if length == 1:
                del self._numbers[self._terms[number]]
                self._terms[number] = ""
                self._free.append(number)

    def tidy(self) -> None:
        """Compact when the gaps have grown larger than the postings themselves."""
        if len(self._ids) > 2 * self._live + _TIDY_SLACK:
            self.compact()

    def df(self, term: str) -> int:
        number = self._numbers.get(term)
        return 0 if number is None else self._length[number]

    def arrays(self, term: str) -> tuple[Sequence[int], Sequence[float]]:
        """The ids and values of a term's postings (empty for an unknown term)."""
        number = self._numbers.get(term)
        if number is None:
            return (), ()
        start = self._start[number]
        end = start + self._length[number]
        return self._ids[start:end], self._values[start:end]

    def items(self, term: str) -> Iterator[tuple[int, float]]:
        ids, values = self.arrays(term)
        return zip(ids, values, strict=True)

    def term(self, number: int) -> str:
        return self._terms[number]

    @property
    def stored(self) -> int:
        """How many postings the arrays hold, gaps included."""
        return len(self._ids)

    def compact(self) -> None:
        """Close the gaps left by moved and shrunk slots; every slot gets exactly its size."""
        ids, values = array("i"), array("f")
        for number in range(len(self._terms)):
            start, length = self._start[number], self._length[number]
            self._start[number] = len(ids)
            self._room[number] = length
            ids.extend(self._ids[start : start + length])
            values.extend(self._values[start : start + length])
        self._ids, self._values = ids, values

    def _new_term(self, term: str) -> int:
        if self._free:
            number = self._free.pop()
            self._terms[number] = term
        else:
            number = len(self._terms)
            self._terms.append(term)
            self._start.append(len(self._ids))
            self._length.append(0)
            self._room.append(0)
        self._numbers[term] = number
        return number

    def _grow(self, number: int) -> None:
        """Give a full slot room for more: in place when it is the last slot, else moved to
        the end, with as much room again as it holds."""
        start, length = self._start[number], self._length[number]
        room = max(1, length)
        if start + length == len(self._ids):
            self._ids.extend(array("i", bytes(4 * room)))
            self._values.extend(array("f", bytes(4 * room)))
        else:
            self._start[number] = len(self._ids)
            self._ids.extend(self._ids[start : start + length])
            self._values.extend(self._values[start : start + length])
            self._ids.extend(array("i", bytes(4 * room)))
            self._values.extend(array("f", bytes(4 * room)))
        self._room[number] = length + room

    def __contains__(self, term: str) -> bool:
        return term in self._numbers

    def __len__(self) -> int:
        return len(self._numbers)
