"""Ordering hits when the query names a place.

With a topic: initiatives on the topic *in* the place come first, then the same topic
elsewhere (slightly preferring the surrounding wijk or municipality). Initiatives in the
place on another topic are not added. A place alone returns the initiatives in it, then
those in the surrounding wijk or municipality, then the nearest ones around it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter

from bot.search.placeindex import PlaceIndex, PlaceSets
from bot.search.places import GEMEENTE, Place

# An initiative in the place is lifted to the top only if it is really on the topic.
IN_PLACE_MIN_SHARE = 0.25
AREA_BOOST = 1.15
CITY_BOOST = 1.05
BARE_RADIUS_KM = {GEMEENTE: 12.0}
DEFAULT_BARE_RADIUS_KM = 4.0
_KM_PER_DEGREE = 111.2


def top_topic_in_place(
    scores: Mapping[int, float],
    sets: PlaceSets,
    needed: int,
    keep: Callable[[int], bool] | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """The ``needed`` best hits, on-topic initiatives in the place first, and how many hits
    there are (those ``keep`` keeps).

    An initiative in the place that is really on the topic is lifted by twice the best score,
    above everything else; the surrounding wijk or municipality is slightly preferred. Only the
    lifted hits are ordered unless they are too few to fill ``needed``: most queries for a
    topic in a town have plenty, and ordering every hit cost more than the search itself.
    Equal scores keep the order of ``scores``.
    """
    if not scores:
        return [], 0
    best = max(scores.values())
    if keep is not None:
        scores = {doc_id: score for doc_id, score in scores.items() if keep(doc_id)}
    floor, lift, inside = IN_PLACE_MIN_SHARE * best, 2.0 * best, sets.inside
    lifted = [
        (doc_id, score + lift)
        for doc_id, score in scores.items()
        if score >= floor and doc_id in inside
    ]
    top = heapq.nlargest(needed, lifted, key=itemgetter(1))
    if len(top) < needed:
        # A lifted hit is above every other (at least 2.25 × best against 1.15 × best at most).
        area, city = sets.area, sets.city
        rest = [
            (doc_id, _boosted(score, doc_id, area, city))
            for doc_id, score in scores.items()
            if score < floor or doc_id not in inside
        ]
        top += heapq.nlargest(needed - len(top), rest, key=itemgetter(1))
    return top, len(scores)


def _boosted(score: float, doc_id: int, area: set[int], city: set[int]) -> float:
    if doc_id in area:
        return score * AREA_BOOST
    if doc_id in city:
        return score * CITY_BOOST
    return score


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
