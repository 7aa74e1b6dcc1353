"""Place awareness: the gazetteer of the province of Utrecht and how initiatives relate to it.

Loaded from the catalogue's ``places.toml`` (``bot/catalog``). A place in a query
("leidsche rijn", "wijk bij duurstede", "kanaleneiland") is found by matching word
sequences; an initiative's location is its municipality and neighbourhood fields, the places its
texts mention, and its coordinates.
:meth:`Gazetteer.relation` says how close an initiative is to a place: in it, in the
surrounding wijk or municipality, or elsewhere.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from importlib import resources
from sys import intern
from typing import Any

from bot.search.geo import haversine_km
from bot.search.normalize import flat_parts

GEMEENTE = "gemeente"
KERN = "kern"
WIJK = "wijk"
BUURT = "buurt"

# Radius around a buurt or kern centre within which an initiative counts as "in" it
# when neither its fields nor its text name the place.
INSIDE_KM = {BUURT: 0.3, KERN: 1.0}


class Nearness(IntEnum):
    INSIDE = 0
    AREA = 1  # same wijk, or same municipality for a kern or wijk
    CITY = 2  # same municipality for a buurt
    ELSEWHERE = 3


def place_key(name: str) -> str:
    return " ".join(flat_parts(name))


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    name: str
    kind: str
    municipality: str  # key of the municipality
    wijk: str | None  # key of the wijk, for buurten
    lat: float
    lon: float
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class DocLocation:
    """Where an initiative is: field keys, places named in its texts, coordinates."""

    municipality: str
    neighbourhood: str
    mentions: frozenset[str]
    lat: float | None
    lon: float | None

    def __post_init__(self) -> None:
        # Keys recur across thousands of initiatives: one string each.
        object.__setattr__(self, "municipality", intern(self.municipality))
        object.__setattr__(self, "neighbourhood", intern(self.neighbourhood))


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    start: int
    end: int
    places: tuple[Place, ...]


class Gazetteer:
    def __init__(self, places: Sequence[Place], aliases: Mapping[str, str]) -> None:
        self.by_key: dict[str, list[Place]] = {}
        for place in places:
            self.by_key.setdefault(place.key, []).append(place)
        for alias, target in aliases.items():
            found = self.by_key.get(place_key(target))
            if found:
                self.by_key.setdefault(place_key(alias), []).extend(found)
        self.max_words = max((len(key.split()) for key in self.by_key), default=1)
        self._first_words = {key.split()[0] for key in self.by_key if key}
        self._buurten: dict[tuple[str, str], set[str]] = {}
        for place in places:
            if place.kind == BUURT and place.wijk:
                self._buurten.setdefault((place.municipality, place.wijk), set()).add(place.key)

    @classmethod
    def load_default(cls) -> Gazetteer:
        data = resources.files("bot.catalog").joinpath("places.toml").read_bytes()
        return cls.from_mapping(tomllib.loads(data.decode("utf-8")))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Gazetteer:
        ambiguous = {place_key(name) for name in data.get("ambiguous", [])}
        places: list[Place] = []

        def add(
            name: str, kind: str, municipality: str, wijk: str | None, lat: Any, lon: Any
        ) -> None:
            key = place_key(name)
            places.append(
                Place(key, name, kind, municipality, wijk, float(lat), float(lon), key in ambiguous)
            )

        for gemeente in data.get("gemeente", []):
            municipality = place_key(gemeente["name"])
            add(gemeente["name"], GEMEENTE, municipality, None, *gemeente["centre"])
            for name, lat, lon in gemeente.get("places", []):
                add(name, KERN, municipality, None, lat, lon)
        for wijk in data.get("wijk", []):
            municipality = place_key(wijk["gemeente"])
            wijk_key = place_key(wijk["name"])
            add(wijk["name"], WIJK, municipality, None, *wijk["centre"])
            for name, lat, lon in wijk.get("buurten", []):
                add(name, BUURT, municipality, wijk_key, lat, lon)
        return cls(places, data.get("aliases", {}))

    def buurten(self, municipality: str, wijk: str) -> set[str]:
        return self._buurten.get((municipality, wijk), set())

    def municipality(self, key: str) -> Place | None:
        return next((p for p in self.by_key.get(key, []) if p.kind == GEMEENTE), None)

    def find(self, parts: Sequence[str], *, in_text: bool = False) -> list[PlaceMatch]:
        """Places named in a sequence of folded words, longest names first."""
        matches: list[PlaceMatch] = []
        index = 0
        first_words = self._first_words
        while index < len(parts):
            if parts[index] not in first_words:
                index += 1
                continue
            for size in range(min(self.max_words, len(parts) - index), 0, -1):
                found = self.by_key.get(" ".join(parts[index : index + size]))
                if found and in_text:
                    found = [place for place in found if not place.ambiguous]
                if found:
                    matches.append(PlaceMatch(index, index + size, tuple(found)))
                    index += size
                    break
            else:
                index += 1
        return matches

    def locate(
        self,
        municipality: str,
        neighbourhood: str,
        texts: Sequence[Sequence[str]],
        lat: float | None,
        lon: float | None,
    ) -> DocLocation:
        """Where an initiative is; ``texts`` are its texts as lists of folded word parts."""
        mentions: set[str] = set()
        for parts in texts:
            for match in self.find(parts, in_text=True):
                mentions.update(place.key for place in match.places)
        return DocLocation(
            place_key(municipality), place_key(neighbourhood), frozenset(mentions), lat, lon
        )

    def relation(self, place: Place, loc: DocLocation) -> Nearness:
        """How an initiative at ``loc`` relates to ``place``."""
        same_municipality = loc.municipality == place.municipality
        if place.kind == GEMEENTE:
            if same_municipality or place.key in loc.mentions:
                return Nearness.INSIDE
            return Nearness.ELSEWHERE
        if place.key in loc.mentions or (same_municipality and loc.neighbourhood == place.key):
            return Nearness.INSIDE
        if place.kind == WIJK:
            buurten = self._buurten.get((place.municipality, place.key), set())
            if same_municipality and loc.neighbourhood in buurten:
                return Nearness.INSIDE
            if buurten & loc.mentions:
                return Nearness.INSIDE
            return Nearness.AREA if same_municipality else Nearness.ELSEWHERE
        radius = INSIDE_KM.get(place.kind, 0.0)
        if (
            loc.lat is not None
            and loc.lon is not None
            and same_municipality
            and haversine_km(place.lat, place.lon, loc.lat, loc.lon) <= radius
        ):
            return Nearness.INSIDE
        if place.kind == BUURT and place.wijk:
            if same_municipality and loc.neighbourhood == place.wijk:
                return Nearness.AREA
            if place.wijk in loc.mentions:
                return Nearness.AREA
            return Nearness.CITY if same_municipality else Nearness.ELSEWHERE
        return Nearness.AREA if same_municipality else Nearness.ELSEWHERE
