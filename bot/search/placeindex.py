"""Initiatives grouped by where they are, for answering place queries with set lookups.

Keeps inverted maps from municipality, neighbourhood and mentioned place to initiative ids,
plus a coordinate grid, and turns a :class:`~.places.Place` into the sets of initiatives
inside it and around it. This mirrors :meth:`Gazetteer.relation` without visiting every
initiative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.search.geo import GeoGrid
from bot.search.places import BUURT, GEMEENTE, INSIDE_KM, KERN, WIJK, DocLocation, Gazetteer, Place
from bot.search.slots import Slots


@dataclass(frozen=True, slots=True)
class PlaceSets:
    inside: set[int]
    area: set[int]  # surrounding wijk, or the municipality of a kern or wijk
    city: set[int]  # the municipality of a buurt


class PlaceIndex:
    def __init__(self, gazetteer: Gazetteer, slots: Slots) -> None:
        self._gazetteer = gazetteer
        self._slots = slots
        # At each initiative's slot (see `bot.search.slots`) its (municipality,
        # neighbourhood) keys and the places its texts name (None when it names none): values
        # that recur are shared, one pair per neighbourhood and one set per combination of
        # places. Coordinates are kept in the grid.
        self._fields: list[tuple[str, str] | None] = []
        self._mentions: list[frozenset[str] | None] = []
        self._pairs: dict[tuple[str, str], tuple[str, str]] = {}
        self._mention_sets: dict[frozenset[str], frozenset[str]] = {}
        self.grid = GeoGrid(slots)
        self._group()

    def _group(self) -> None:
        """The inverted maps, from what is kept per initiative."""
        self._by_municipality: dict[str, set[int]] = {}
        self._by_neighbourhood: dict[tuple[str, str], set[int]] = {}
        self._by_mention: dict[str, set[int]] = {}
        for doc_id, slot in self._slots.items():
            pair = self._fields[slot]
            if pair is not None:
                self._file(doc_id, pair, self._mentions[slot])

    def _file(self, doc_id: int, pair: tuple[str, str], mentions: frozenset[str] | None) -> None:
        self._by_municipality.setdefault(pair[0], set()).add(doc_id)
        self._by_neighbourhood.setdefault(pair, set()).add(doc_id)
        for mention in mentions or ():
            self._by_mention.setdefault(mention, set()).add(doc_id)

    def __getstate__(self) -> dict[str, object]:
        """Saved (`bot.search.snapshot`) without the inverted maps: they are grouped again,
        sharing the ids of the slots."""
        keep = ("_gazetteer", "_slots", "_fields", "_mentions", "_pairs", "_mention_sets", "grid")
        return {name: self.__dict__[name] for name in keep}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._group()

    def add(self, doc_id: int, location: DocLocation) -> None:
        """Place an initiative, at its slot."""
        self.remove(doc_id)
        slot = self._slots[doc_id]
        missing = slot + 1 - len(self._fields)
        if missing > 0:
            self._fields.extend([None] * missing)
            self._mentions.extend([None] * missing)
        found = (location.municipality, location.neighbourhood)
        pair = self._fields[slot] = self._pairs.setdefault(found, found)
        mentions = None
        if location.mentions:
            mentions = self._mention_sets.setdefault(location.mentions, location.mentions)
        self._mentions[slot] = mentions
        self._file(doc_id, pair, mentions)
        if location.lat is not None and location.lon is not None:
            self.grid.add(doc_id, location.lat, location.lon)

    def remove(self, doc_id: int) -> None:
        """Forget an initiative's place (before its slot is given up)."""
        slot = self._slots.get(doc_id)
        if slot is None or slot >= len(self._fields):
            return
        pair = self._fields[slot]
        if pair is None:
            return
        self._by_municipality.get(pair[0], set()).discard(doc_id)
        self._by_neighbourhood.get(pair, set()).discard(doc_id)
        for mention in self._mentions[slot] or ():
            self._by_mention.get(mention, set()).discard(doc_id)
        self._fields[slot] = self._mentions[slot] = None
        self.grid.remove(doc_id)

    def municipality(self, doc_id: int) -> str:
        """The key of the municipality an indexed initiative gives."""
        pair = self._fields[self._slots[doc_id]]
        assert pair is not None
        return pair[0]

    def in_municipality(self, municipality: str) -> set[int]:
        return self._by_municipality.get(municipality, set())

    def sets(self, places: Sequence[Place]) -> PlaceSets:
        result = PlaceSets(set(), set(), set())
        for place in places:
            self._add_place(place, result)
        result.area.difference_update(result.inside)
        result.city.difference_update(result.inside)
        result.city.difference_update(result.area)
        return result

    def _named(self, municipality: str, key: str) -> set[int]:
        return self._by_neighbourhood.get((municipality, key), set()) | self._by_mention.get(
            key, set()
        )

    def _add_place(self, place: Place, result: PlaceSets) -> None:
        municipality = self.in_municipality(place.municipality)
        if place.kind == GEMEENTE:
            result.inside.update(municipality)
            result.inside.update(self._by_mention.get(place.key, ()))
            return
        result.inside.update(self._named(place.municipality, place.key))
        if place.kind == WIJK:
            for buurt in self._gazetteer.buurten(place.municipality, place.key):
                result.inside.update(self._named(place.municipality, buurt))
            result.area.update(municipality)
            return
        radius = INSIDE_KM.get(place.kind, 0.0)
        if radius:
            close = {doc_id for doc_id, _ in self.grid.within(place.lat, place.lon, radius)}
            result.inside.update(close & municipality)
        if place.kind == BUURT and place.wijk:
            result.area.update(self._named(place.municipality, place.wijk))
            result.city.update(municipality)
        elif place.kind == KERN:
            result.area.update(municipality)
