"""Each indexed initiative's terms, with their values and field lengths, in flat arrays.

The postings say which initiatives have a term; this says which terms an initiative has: to
take it out of the postings again, and to find initiatives like it. An initiative's terms sit
together in the arrays; per slot (see `bot.search.slots`) the arrays say where they start and
how many there are. A removed initiative leaves a gap that :meth:`ForwardIndex.compact`
closes once the gaps outweigh what is kept.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from bot.search.documents import Lengths
from bot.search.slots import Slots

# Gaps (in terms) that never call for compacting: small indexes need not bother.
_TIDY_SLACK = 65_536


class ForwardIndex:
    def __init__(self, slots: Slots) -> None:
        self._slots = slots
        self._start = array("i")
        self._count = array("i")
        self._lengths = array("i")  # three per slot: name, keywords, description
        self._terms = array("i")
        self._values = array("f")
        self._live = 0

    def add(
        self, doc_id: int, terms: array[int], values: Iterable[float], lengths: Lengths
    ) -> None:
        """Keep an initiative's term numbers and values, at its slot."""
        slot = self._slots[doc_id]
        missing = slot + 1 - len(self._start)
        if missing > 0:
            self._start.extend(array("i", bytes(4 * missing)))
            self._count.extend(array("i", bytes(4 * missing)))
            self._lengths.extend(array("i", bytes(12 * missing)))
        self._start[slot] = len(self._terms)
        self._count[slot] = len(terms)
        self._lengths[3 * slot : 3 * slot + 3] = array("i", lengths)
        self._terms.extend(terms)
        self._values.extend(values)
        self._live += len(terms)

    def pop(self, doc_id: int) -> tuple[array[int], Lengths]:
        """Forget an initiative (before its slot is given up): its term numbers and lengths."""
        slot = self._slots[doc_id]
        start, count = self._start[slot], self._count[slot]
        terms = self._terms[start : start + count]
        name, keywords, description = self._lengths[3 * slot : 3 * slot + 3]
        self._count[slot] = 0
        self._live -= count
        if len(self._terms) > 2 * self._live + _TIDY_SLACK:
            self.compact()
        return terms, (name, keywords, description)

    def terms(self, doc_id: int) -> tuple[array[int], array[float]]:
        """An indexed initiative's term numbers and their values."""
        slot = self._slots[doc_id]
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
