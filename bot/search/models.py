"""Plain value types of the search: documents in, hits out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One published initiative, as plain values."""

    id: int
    ref: str | None
    name: str
    description: str
    themes: tuple[str, ...]
    municipality: str
    neighbourhood: str
    keywords: tuple[str, ...]
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    score: float


@dataclass(frozen=True, slots=True)
class NearbyHit:
    id: int
    distance_km: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of ranked hits, the total number of hits, and what the query was read as."""

    hits: list[SearchHit]
    total: int
    place: str | None = None
    themes: tuple[str, ...] = ()
