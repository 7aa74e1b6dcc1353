"""Ordering hits when the query names a place.

With a topic: initiatives on the topic *in* the place come first, then the same topic
elsewhere (slightly preferring the surrounding wijk or municipality). Initiatives in the
place on another topic are not added. A place alone returns the initiatives in it, then
those in the surrounding wijk or municipality, then the nearest ones around it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from bot.search.placeindex import PlaceIndex, PlaceSets
from bot.search.places import GEMEENTE, Place

# An initiative in the place is lifted to the top only if it is really on the topic.
IN_PLACE_MIN_SHARE = 0.25
AREA_BOOST = 1.15
CITY_BOOST = 1.05
BARE_RADIUS_KM = {GEMEENTE: 12.0}
DEFAULT_BARE_RADIUS_KM = 4.0
_KM_PER_DEGREE = 111.2


def rank_topic_in_place(scores: Mapping[int, float], sets: PlaceSets) -> dict[int, float]:
    """Scores adjusted so that on-topic initiatives in the place rank first."""
    if not scores:
        return {}
    best = max(scores.values())
    floor = IN_PLACE_MIN_SHARE * best
    adjusted = dict(scores)
    for doc_id in sets.inside.intersection(scores):
        score = scores[doc_id]
        if score >= floor:
            adjusted[doc_id] = score + 2.0 * best
    for doc_id in sets.area.intersection(scores):
        adjusted[doc_id] = scores[doc_id] * AREA_BOOST
    for doc_id in sets.city.intersection(scores):
        adjusted[doc_id] = scores[doc_id] * CITY_BOOST
    return adjusted


def bare_place_radius(places: Sequence[Place]) -> float:
    return max(BARE_RADIUS_KM.get(place.kind, DEFAULT_BARE_RADIUS_KM) for place in places)


def rank_bare_place(
    places: Sequence[Place],
    index: PlaceIndex,
    needed: int,
    keep: Callable[[int], bool] | None = None,
) -> tuple[dict[int, float], int]:
    """Scores for a query that is only a place: inside, then around, then nearest.

    Only the tiers needed to fill ``needed`` hits are scored; the total counts all tiers.
    """
    sets = index.sets(places)
    radius = bare_place_radius(places)
    near: set[int] = set()
    for place in places:
        near.update(doc_id for doc_id, _ in index.grid.within(place.lat, place.lon, radius))
    near -= sets.inside | sets.area | sets.city
    tiers = [(3.0, sets.inside), (2.0, sets.area), (1.0, sets.city), (0.0, near)]
    if keep is not None:
        tiers = [(base, {doc_id for doc_id in ids if keep(doc_id)}) for base, ids in tiers]
    total = sum(len(ids) for _, ids in tiers)
    result: dict[int, float] = {}
    for base, ids in tiers:
        if len(result) >= needed:
            break
        for doc_id in ids:
            result[doc_id] = base + _closeness(places, index, doc_id)
    return result, total


def _closeness(places: Sequence[Place], index: PlaceIndex, doc_id: int) -> float:
    """Between 0 and 1, higher when nearer; a flat-earth distance is plenty for ordering."""
    position = index.grid.position(doc_id)
    if position is None:
        return 0.0
    lat, lon = position
    scale = math.cos(math.radians(lat))
    best = min(
        math.hypot(lat - place.lat, (lon - place.lon) * scale) * _KM_PER_DEGREE for place in places
    )
    return 1.0 / (1.0 + best)
