"""Where each indexed initiative's values sit in the search index's lists and arrays.

The index gives every initiative a slot, a small number, and its parts (the terms of each
initiative, its places, its coordinates) keep their values at that slot. One mapping from
initiative id to slot serves all parts: at 100,000 initiatives one dictionary instead of one
per part, each with its own hundred thousand keys.
"""

from __future__ import annotations


class Slots(dict[int, int]):
    """Initiative id -> slot. A slot given up is handed out again."""

    def __init__(self) -> None:
        super().__init__()
        self.free: list[int] = []
        self.size = 0  # how many slots were ever handed out: the length of the parts' arrays

    def take(self, doc_id: int) -> int:
        """A slot for an initiative that has none."""
        if self.free:
            slot = self.free.pop()
        else:
            slot = self.size
            self.size += 1
        self[doc_id] = slot
        return slot

    def give_up(self, doc_id: int) -> None:
        """Free an initiative's slot, after every part has let go of it."""
        self.free.append(self.pop(doc_id))
