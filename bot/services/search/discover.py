"""What residents do with the search: a page of results (with theme and municipality filters),
the filter choices that fit a query, the public card behind a result, similar initiatives,
initiatives near a point, and themes to suggest when a search finds nothing.

Every function brings the index up to date first. A list (results, nearby, similar) shows the
initiatives as the index holds them, so it needs no database read: a change made in this
process shows at once, one made in another process as soon as it is announced (or within
`index_sync.RECHECK_SECONDS`). What a person opens or shares (the card, the contact details, an
inline card) is read from the database, so a profile taken offline a moment ago is never opened.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.catalog.themes import THEMES
from bot.search import NearbyHit, SearchDocument, SearchHit, SearchIndex, SearchResult
from bot.services.search.errors import SearchError
from bot.services.search.index_sync import SearchIndexHolder
from storage.models import Initiative
from storage.repositories import Repo

PAGE_SIZE = 5
NEARBY_KM = 25.0
NEARBY_MAX = 20
SIMILAR_MAX = 5
SUGGESTED_THEMES = 3
_FACET_SCAN = 1000  # results looked at for the filter choices


class NotPublishedError(SearchError):
    """The initiative does not exist (any more) or is not public."""


@dataclass(frozen=True, slots=True)
class Filters:
    theme: str = ""
    municipality: str = ""


@dataclass(slots=True)
class ResultPage:
    """One page of a search: the initiatives in rank order, and what the query was read as."""

    items: list[SearchDocument]
    total: int
    page: int
    pages: int
    place: str | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class NearbyPage:
    items: list[tuple[SearchDocument, float]]
    total: int
    page: int
    pages: int


@dataclass(slots=True)
class Choices:
    """Themes and municipalities among a query's results, most frequent first."""

    themes: list[tuple[str, int]]
    municipalities: list[tuple[str, int]]


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


async def _in_order(repo: Repo, ids: list[int]) -> list[Initiative]:
    if not ids:  # inline queries come with every key typed, and most find nothing at first
        return []
    async with repo.read():
        found = await repo.search.published(ids)
    return [found[ident] for ident in ids if ident in found]


async def search(
    repo: Repo,
    holder: SearchIndexHolder,
    query: str,
    *,
    page: int = 0,
    filters: Filters | None = None,
    size: int = PAGE_SIZE,
    person: int | None = None,
) -> ResultPage:
    """A page of ranked results; when nothing is found, the closest themes as suggestions.

    An empty query with a theme (or municipality) filter lists that theme (or place). The
    words of a search by a `person` that found nothing are counted (see `search_misses`)."""
    filters = filters or Filters()
    typed = query.strip()
    query = typed or _filter_words(filters)
    theme = filters.theme or None
    municipality = filters.municipality or None

    def ranked(index: SearchIndex) -> tuple[SearchResult, int, list[str], list[SearchDocument]]:
        # One search gives the page and the total; only a page past the last one (the results
        # changed since the arrow was shown) takes a second, for the last page.
        wanted = max(page, 0)
        result = index.search(
            query, limit=size, offset=wanted * size, theme=theme, municipality=municipality
        )
        shown = min(wanted, _pages(result.total, size) - 1)
        if shown != wanted:
            result = index.search(
                query, limit=size, offset=shown * size, theme=theme, municipality=municipality
            )
        suggestions = [] if result.total else _suggestions(holder, index, query)
        return result, shown, suggestions, _listed(index, result.hits)

    result, page, suggestions, items = await holder.ask(repo, ranked)
    if person is not None and not result.total and typed and filters == Filters():
        holder.misses.record(typed, person)
    return ResultPage(
        items, result.total, page, _pages(result.total, size), result.place, suggestions
    )


def _listed(index: SearchIndex, hits: Iterable[SearchHit | NearbyHit]) -> list[SearchDocument]:
    """The documents of hits, in their order (asked of the index the hits came from)."""
    documents = index.documents()
    return [documents[hit.id] for hit in hits]


async def cards(repo: Repo, page: ResultPage) -> list[Initiative]:
    """The stored initiatives of a page, in its order, for what a list does not show (contact
    details, consent); one taken offline since is left out."""
    return await _in_order(repo, [item.id for item in page.items])


def _suggestions(holder: SearchIndexHolder, index: SearchIndex, query: str) -> list[str]:
    """The themes closest to a query that found nothing, among the themes that have
    initiatives; without any, the themes with the most initiatives."""
    counts = holder.theme_counts()
    close = [slug for slug in index.suggest_themes(query, limit=len(THEMES)) if counts[slug]]
    if not close:
        close = [slug for slug, _count in _ranked(counts) if slug in THEMES]
    return close[:SUGGESTED_THEMES]


def _filter_words(filters: Filters) -> str:
    if filters.theme in THEMES:
        return theme_query(filters.theme)
    return filters.municipality


def theme_query(slug: str) -> str:
    """The words a theme is searched by (both languages, so either finds it)."""
    label = THEMES[slug]
    return f"{label.nl} {label.en}"


async def choices(
    repo: Repo, holder: SearchIndexHolder, query: str, filters: Filters | None = None
) -> Choices:
    """The themes and municipalities that the results of a query have, to filter by."""
    filters = filters or Filters()
    query = query.strip() or _filter_words(filters)
    result = await holder.ask(
        repo,
        lambda index: index.search(
            query,
            limit=_FACET_SCAN,
            theme=filters.theme or None,
            municipality=filters.municipality or None,
        ),
    )
    themes: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for hit in result.hits:
        doc = holder.documents.get(hit.id)
        if doc is None:
            continue
        themes.update(slug for slug in doc.themes if slug in THEMES)
        if doc.municipality:
            places[doc.municipality] += 1
    return Choices(_ranked(themes), _ranked(places))


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


async def public_card(repo: Repo, initiative_id: int) -> Initiative:
    """A published initiative, or NotPublishedError."""
    found = await _in_order(repo, [initiative_id])
    if not found:
        raise NotPublishedError(initiative_id)
    return found[0]


async def similar(
    repo: Repo, holder: SearchIndexHolder, initiative_id: int
) -> tuple[SearchDocument, list[SearchDocument]]:
    """An initiative and the ones most like it (themes, distinctive words, nearness)."""

    def alike(index: SearchIndex) -> list[SearchDocument] | None:
        if initiative_id not in index:
            return None
        hits = index.similar(initiative_id, limit=SIMILAR_MAX)
        return [index.documents()[initiative_id], *_listed(index, hits)]

    found = await holder.ask(repo, alike)
    if found is None:
        raise NotPublishedError(initiative_id)
    return found[0], found[1:]


async def nearby(
    repo: Repo, holder: SearchIndexHolder, lat: float, lon: float, *, page: int = 0
) -> NearbyPage:
    """Initiatives near a point, nearest first, with their distance in kilometres."""

    def near(index: SearchIndex) -> NearbyPage:
        hits = index.nearby(lat, lon, limit=NEARBY_MAX, max_km=NEARBY_KM)
        pages = _pages(len(hits), PAGE_SIZE)
        shown = min(max(page, 0), pages - 1)
        on_page = hits[shown * PAGE_SIZE : (shown + 1) * PAGE_SIZE]
        distances = [hit.distance_km for hit in on_page]
        items = list(zip(_listed(index, on_page), distances, strict=True))
        return NearbyPage(items, len(hits), shown, pages)

    return await holder.ask(repo, near)
