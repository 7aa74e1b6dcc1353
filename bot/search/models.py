"""Plain value types of the search: documents in, hits out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from sys import intern
from typing import Any, Protocol


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
    # When a member last confirmed the profile; a list marks one not confirmed for long.
    last_confirmed_at: datetime | None = None

    def __post_init__(self) -> None:
        # Themes, places and keywords recur across thousands of initiatives: one string each.
        object.__setattr__(self, "themes", tuple(intern(str(slug)) for slug in self.themes))
        object.__setattr__(self, "keywords", tuple(intern(str(word)) for word in self.keywords))
        object.__setattr__(self, "municipality", intern(self.municipality))
        object.__setattr__(self, "neighbourhood", intern(self.neighbourhood))

    def __reduce__(self) -> tuple[Any, ...]:
        """Read back (`bot.search.snapshot`) by calling the constructor with the fields, so
        what the constructor shares is shared again."""
        return (type(self), tuple(getattr(self, field.name) for field in fields(self)))


class Listed(Protocol):
    """What a list of initiatives shows of one: a search document, or a stored initiative."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def municipality(self) -> str | None: ...

    @property
    def neighbourhood(self) -> str | None: ...

    @property
    def last_confirmed_at(self) -> datetime | None: ...


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
