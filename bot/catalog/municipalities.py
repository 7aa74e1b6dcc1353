"""The 26 municipalities of the province of Utrecht (from `places.toml`, the catalogue's one
list of places): typed names matched fuzzily ("Utreg", "de bilt", "Amersfort", "Maarssen"), and
whether a point lies inside the province."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process

from bot.text import fold as fold_text


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    lat: float
    lon: float
    # Villages and well-known districts people name instead of the municipality.
    places: tuple[str, ...] = ()
    # Its villages and districts (a city's wijken), for choosing where someone lives.
    districts: tuple[str, ...] = ()


def _load() -> tuple[Municipality, ...]:
    """The municipalities from `places.toml` (the one list of places, which the search reads
    too), each with the names of its villages, districts and neighbourhoods that people type
    instead of the municipality (words that are also ordinary words, like "Oost", left out)."""
    data = tomllib.loads(resources.files(__package__).joinpath("places.toml").read_text("utf-8"))
    ambiguous = {fold(name) for name in data.get("ambiguous", [])}
    named: dict[str, list[str]] = {}
    districts: dict[str, list[str]] = {}
    for gemeente in data["gemeente"]:
        named[gemeente["name"]] = [place[0] for place in gemeente.get("places", [])]
        districts[gemeente["name"]] = list(named[gemeente["name"]])
    for wijk in data.get("wijk", []):
        districts[wijk["gemeente"]].append(wijk["name"])
        names = named[wijk["gemeente"]]
        names.append(wijk["name"])
        names.extend(buurt[0] for buurt in wijk.get("buurten", []))
    for alias, target in data.get("aliases", {}).items():
        for names in named.values():
            if target in names:
                names.append(alias)
    return tuple(
        Municipality(
            gemeente["name"],
            float(gemeente["centre"][0]),
            float(gemeente["centre"][1]),
            tuple(name for name in named[gemeente["name"]] if fold(name) not in ambiguous),
            tuple(districts[gemeente["name"]]),
        )
        for gemeente in data["gemeente"]
    )


# Nicknames and old spellings that fuzzy matching alone would not find.
_ALIASES: dict[str, str] = {
    "utreg": "Utrecht",
    "utrek": "Utrecht",
    "utrecht stad": "Utrecht",
    "wijk": "Wijk bij Duurstede",
    "heuvelrug": "Utrechtse Heuvelrug",
    "vijfheren": "Vijfheerenlanden",
    "ronde venen": "De Ronde Venen",
}

# A rough outline of the province (lat, lon), clockwise from Abcoude. Good to a kilometre or
# two: it keeps out Hilversum, Culemborg, Gouda, Barneveld and Ede.
PROVINCE_OUTLINE: tuple[tuple[float, float], ...] = (
    (52.30, 4.93), (52.28, 5.03), (52.21, 5.06), (52.19, 5.13), (52.19, 5.20),
    (52.21, 5.23), (52.26, 5.22), (52.28, 5.33), (52.25, 5.42), (52.20, 5.45),
    (52.15, 5.52), (52.10, 5.55), (52.07, 5.60), (52.04, 5.63), (51.97, 5.63),
    (51.95, 5.55), (51.96, 5.40), (51.955, 5.30), (51.97, 5.20), (51.965, 5.12),
    (51.93, 5.13), (51.86, 5.13), (51.86, 5.02), (51.90, 4.93), (51.95, 4.92),
    (51.98, 4.80), (52.03, 4.79), (52.10, 4.79), (52.16, 4.80), (52.20, 4.78),
    (52.25, 4.84),
)  # fmt: skip

_ACCEPT = 88.0  # a typed name this close to one municipality is taken as that one
_SUGGEST = 72.0  # closer than this: offered as "did you mean …?"


def fold(text: str) -> str:
    """A typed place name as compared: folded (`bot.text.fold`), without a leading "gemeente",
    words separated by single spaces."""
    plain = re.sub(r"^\s*gemeente\s+", "", fold_text(text))
    return " ".join(re.sub(r"[^a-z0-9']+", " ", plain).split())


MUNICIPALITIES: tuple[Municipality, ...] = _load()
BY_NAME: dict[str, Municipality] = {m.name: m for m in MUNICIPALITIES}


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for municipality in MUNICIPALITIES:
        for place in municipality.places:
            names[fold(place)] = municipality.name
    for alias, name in _ALIASES.items():
        names[fold(alias)] = name
    for municipality in MUNICIPALITIES:
        names[fold(municipality.name)] = municipality.name
    return names


_NAMES = _names()


@dataclass(frozen=True, slots=True)
class MunicipalityMatch:
    """The municipality meant (`found`), or a few to choose from when it is not certain."""

    found: Municipality | None
    suggestions: tuple[Municipality, ...] = ()


def match_municipality(text: str) -> MunicipalityMatch:
    """Which municipality a typed name means: exact, then fuzzy; suggestions when unsure."""
    query = fold(text)
    if not query:
        return MunicipalityMatch(None)
    if query in _NAMES:
        return MunicipalityMatch(BY_NAME[_NAMES[query]])
    scored: dict[str, float] = {}
    for _key, score, index in process.extract(
        query, list(_NAMES), scorer=fuzz.WRatio, limit=12, score_cutoff=_SUGGEST
    ):
        name = list(_NAMES.values())[index]
        scored[name] = max(scored.get(name, 0.0), float(score))
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return MunicipalityMatch(None)
    best_name, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score >= _ACCEPT and best_score - runner_up >= 5:
        return MunicipalityMatch(BY_NAME[best_name])
    return MunicipalityMatch(None, tuple(BY_NAME[name] for name, _score in ranked[:3]))


def municipality_by_name(name: str) -> Municipality | None:
    """The municipality with exactly this name, ignoring case and accents."""
    return BY_NAME.get(_NAMES.get(fold(name), ""))


def in_province(lat: float, lon: float) -> bool:
    """True when the point lies inside the (rough) outline of the province of Utrecht."""
    inside = False
    points = PROVINCE_OUTLINE
    j = len(points) - 1
    for i, (lat_i, lon_i) in enumerate(points):
        lat_j, lon_j = points[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = lon_i + (lat - lat_i) * (lon_j - lon_i) / (lat_j - lat_i)
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def _places_by_name() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for municipality in MUNICIPALITIES:
        for place in municipality.places:
            found.setdefault(fold(place), set()).add(municipality.name)
    return {name: frozenset(where) for name, where in found.items()}


_PLACES = _places_by_name()


def municipalities_with_place(name: str) -> frozenset[str]:
    """The municipalities a village, district or neighbourhood of this name lies in; empty
    for a name the catalogue doesn't know (a street, a small hamlet)."""
    return _PLACES.get(fold(name), frozenset())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the map in kilometres (flat-earth: fine within a province)."""
    y = (lat2 - lat1) * 111.2
    x = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, y)


def nearest_municipality(lat: float, lon: float) -> Municipality:
    """The municipality whose centre is nearest: a rough guess of where a point lies, for
    when the address lookup can't say."""
    return min(MUNICIPALITIES, key=lambda m: _km(lat, lon, m.lat, m.lon))


def clearly_elsewhere(lat: float, lon: float, municipality: str) -> Municipality | None:
    """The municipality a point clearly lies in when that is not `municipality` (much nearer
    to another centre than to its own); None when it may well be in `municipality`."""
    own = BY_NAME.get(municipality)
    if own is None:
        return None
    nearest = nearest_municipality(lat, lon)
    if nearest.name == own.name:
        return None
    to_own = _km(lat, lon, own.lat, own.lon)
    to_nearest = _km(lat, lon, nearest.lat, nearest.lon)
    return nearest if to_own > 6 and to_own > 2 * to_nearest else None
