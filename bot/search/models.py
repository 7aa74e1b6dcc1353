"""Plain value types of the search: documents in, hits out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from sys import intern
from typing import Any, Protocol

# Each day a profile was confirmed on, as one object that the documents of that day share.
_DAYS: dict[date, date] = {}


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
    # The day (UTC) a member last confirmed the profile: a list marks one not confirmed for long.
    confirmed_on: date | None = None

    def __post_init__(self) -> None:
        # Themes, places and keywords recur across thousands of initiatives: one string each.
        object.__setattr__(self, "themes", tuple(intern(str(slug)) for slug in self.themes))
        object.__setattr__(self, "keywords", tuple(intern(str(word)) for word in self.keywords))
        object.__setattr__(self, "municipality", intern(self.municipality))
        object.__setattr__(self, "neighbourhood", intern(self.neighbourhood))
        if self.confirmed_on is not None:  # a few hundred days for all the initiatives
            object.__setattr__(
                self, "confirmed_on", _DAYS.setdefault(self.confirmed_on, self.confirmed_on)
            )

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
    def confirmed_on(self) -> date | None: ...


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
