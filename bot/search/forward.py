"""Each indexed initiative's terms, with their values and field lengths, in flat arrays.

The postings say which initiatives have a term; this says which terms an initiative has: to
take it out of the postings again, and to find initiatives like it. Every initiative gets a
slot (where its terms start in the arrays, how many it has); a removed one leaves a gap that
:meth:`ForwardIndex.compact` closes once the gaps outweigh what is kept. A few large arrays
instead of three small objects per initiative keep a large index small, in memory and saved.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from bot.search.documents import Lengths

# Gaps (in terms) that never call for compacting: small indexes need not bother.
_TIDY_SLACK = 65_536


class ForwardIndex:
    def __init__(self) -> None:
        self._slots: dict[int, int] = {}  # initiative id -> slot
        self._free: list[int] = []
        self._start = array("i")
        self._count = array("i")
        self._lengths = array("i")  # three per slot: name, keywords, description
        self._terms = array("i")
        self._values = array("f")
        self._live = 0

    def add(
        self, doc_id: int, terms: array[int], values: Iterable[float], lengths: Lengths
    ) -> None:
        """Keep an initiative's term numbers and values; it must not be here yet."""
        if self._free:
            slot = self._free.pop()
        else:
            slot = len(self._start)
            self._start.append(0)
            self._count.append(0)
            self._lengths.extend((0, 0, 0))
        self._slots[doc_id] = slot
        self._start[slot] = len(self._terms)
        self._count[slot] = len(terms)
        self._lengths[3 * slot : 3 * slot + 3] = array("i", lengths)
        self._terms.extend(terms)
        self._values.extend(values)
        self._live += len(terms)

    def pop(self, doc_id: int) -> tuple[array[int], Lengths] | None:
        """Forget an initiative: its term numbers and field lengths, or None if unknown."""
        slot = self._slots.pop(doc_id, None)
        if slot is None:
            return None
        start, count = self._start[slot], self._count[slot]
        terms = self._terms[start : start + count]
        name, keywords, description = self._lengths[3 * slot : 3 * slot + 3]
        self._count[slot] = 0
        self._free.append(slot)
        self._live -= count
        if len(self._terms) > 2 * self._live + _TIDY_SLACK:
            self.compact()
        return terms, (name, keywords, description)

    def terms(self, doc_id: int) -> tuple[array[int], array[float]] | None:
        """An initiative's term numbers and their values, or None if unknown."""
        slot = self._slots.get(doc_id)
        if slot is None:
            return None
        start = self._start[slot]
        end = start + self._count[slot]
        return self._terms[start:end], self._values[start:end]

    def compact(self) -> None:
        """Close the gaps left by removed initiatives."""
        terms, values = array("i"), array("f")
        for slot in self._slots.values():
            start, count = self._start[slot], self._count[slot]
            self._start[slot] = len(terms)
            terms.extend(self._terms[start : start + count])
            values.extend(self._values[start : start + count])
        self._terms, self._values = terms, values

    def __len__(self) -> int:
        return len(self._slots)
