"""The in-memory search index over published initiatives.

Holds the postings, the typo dictionary, the compound lexicon and each initiative's
location, and keeps them current through :meth:`SearchIndex.build`, :meth:`upsert` and
:meth:`remove`. Everything is synchronous and quick; parsed queries are cached until the
index changes. Search, similar initiatives and nearby initiatives are answered from here.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter

from bot.catalog.themes import THEMES
from bot.search.analysis import Analyzer
from bot.search.documents import DocWords, Lengths, field_counts, lengths_by_field, read_words
from bot.search.forward import ForwardIndex
from bot.search.fuzzy import FuzzyDictionary
from bot.search.geo import haversine_km
from bot.search.models import NearbyHit, SearchDocument, SearchHit, SearchResult
from bot.search.placeindex import PlaceIndex
from bot.search.placerank import rank_bare_place, top_topic_in_place
from bot.search.places import Gazetteer, place_key
from bot.search.query import ParsedQuery, QueryParser
from bot.search.ranking import apply_cutoff, score_concepts
from bot.search.scoring import FieldStats, Postings, idf, saturate, theme_values
from bot.search.slots import Slots
from bot.search.suggest import suggest_themes
from bot.search.themes import theme_term
from bot.search.vocabulary import Vocabulary
from bot.text import fold

logger = logging.getLogger(__name__)

_QUERY_CACHE_SIZE = 2048
_SIMILAR_TERMS = 25


class IndexedDocuments(Mapping[int, SearchDocument]):
    """The indexed initiatives by id, read from the index's slots."""

    __slots__ = ("_docs", "_slots")

    def __init__(self, slots: Slots, docs: list[SearchDocument | None]) -> None:
        self._slots = slots
        self._docs = docs

    def __getitem__(self, doc_id: int) -> SearchDocument:
        doc = self._docs[self._slots[doc_id]]
        assert doc is not None
        return doc

    def __iter__(self) -> Iterator[int]:
        return iter(self._slots)

    def __len__(self) -> int:
        return len(self._slots)


class SearchIndex:
    def __init__(
        self, vocabulary: Vocabulary | None = None, gazetteer: Gazetteer | None = None
    ) -> None:
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary.load_default()
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load_default()
        self._reset()

    def _reset(self) -> None:
        self._analyzer = Analyzer(self.vocabulary.lexicon, self.vocabulary.short_parts)
        self._fuzzy = FuzzyDictionary()
        self._fuzzy.add(self.vocabulary.surface_words)
        self._postings = Postings()
        self._stats = FieldStats()
        # Each initiative's values sit at its slot in the parts below (see `.slots`).
        self._slots = Slots()
        self._docs: list[SearchDocument | None] = []
        self._forward = ForwardIndex(self._slots)
        self._places = PlaceIndex(self.gazetteer, self._slots)
        self._parser = QueryParser(
            self._analyzer, self.vocabulary, self.gazetteer, self._fuzzy, self._postings.df
        )
        self._cache: dict[str, ParsedQuery] = {}

    def __getstate__(self) -> dict[str, object]:
        """Saved (`bot.search.snapshot`) without the parsed queries: they are parsed again."""
        self._postings.compact()
        self._forward.compact()
        return {**self.__dict__, "_cache": {}}

    # -- maintenance --------------------------------------------------------------------

    def build(self, docs: Iterable[SearchDocument]) -> None:
        """Replace the whole index with ``docs``.

        Two passes: the first learns the words (for splitting compounds) and the field
        lengths (for normalisation), the second indexes. Words are read again rather than
        kept, which keeps the memory peak low for large collections.
        """
        docs = list(docs)
        self._reset()
        for doc in docs:
            doc_words = read_words(doc)
            self._analyzer.learn(doc_words.surfaces())
            self._stats.add(lengths_by_field(doc_words.lengths()))
        for doc in docs:
            doc_words = read_words(doc)
            counts, lengths = field_counts(doc_words, self._analyzer)
            self._insert(doc, doc_words, counts, lengths)
        self._postings.compact()

    def upsert(self, doc: SearchDocument) -> None:
        """Add an initiative, or replace it after an edit."""
        self.remove(doc.id)
        doc_words = read_words(doc)
        self._analyzer.learn(doc_words.surfaces())
        counts, lengths = field_counts(doc_words, self._analyzer)
        self._stats.add(lengths_by_field(lengths))
        self._insert(doc, doc_words, counts, lengths)
        self._postings.tidy()

    def remove(self, doc_id: int) -> None:
        """Take an initiative out (hidden or deleted). Unknown ids are ignored."""
        slot = self._slots.get(doc_id)
        if slot is None:
            return
        doc = self._docs[slot]
        assert doc is not None
        terms, lengths = self._forward.pop(doc_id)
        self._postings.remove(doc_id, terms)
        self._stats.add(lengths_by_field(lengths), sign=-1)
        surfaces = read_words(doc).surfaces()
        self._fuzzy.remove(surfaces)
        self._analyzer.forget(surfaces)
        self._places.remove(doc_id)
        self._docs[slot] = None
        self._slots.give_up(doc_id)
        self._postings.tidy()
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._slots)

    def documents(self) -> Mapping[int, SearchDocument]:
        """The indexed initiatives by id: a view that follows the index, not a copy."""
        return IndexedDocuments(self._slots, self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slots

    def _insert(
        self,
        doc: SearchDocument,
        doc_words: DocWords,
        counts: dict[str, dict[str, float]],
        lengths: Lengths,
    ) -> None:
        slot = self._slots.take(doc.id)
        if slot == len(self._docs):
            self._docs.append(doc)
        else:
            self._docs[slot] = doc
        values = saturate(counts, lengths_by_field(lengths), self._stats)
        themes = tuple(slug for slug in doc.themes if slug in THEMES)
        for slug, value in zip(themes, theme_values(themes), strict=True):
            values[theme_term(slug)] = value
        terms = self._postings.add(doc.id, values)
        self._fuzzy.add(doc_words.surfaces())
        location = self.gazetteer.locate(
            doc.municipality, doc.neighbourhood, doc_words.part_lists(), doc.lat, doc.lon
        )
        self._places.add(doc.id, location)
        self._forward.add(doc.id, terms, values.values(), lengths)
        self._cache.clear()

    # -- queries ------------------------------------------------------------------------

    def clear_query_cache(self) -> None:
        self._cache.clear()

    def parse(self, query: str) -> ParsedQuery:
        parsed = self._cache.get(query)
        if parsed is None:
            parsed = self._parser.parse(query)
            if len(self._cache) >= _QUERY_CACHE_SIZE:
                self._cache.clear()
            self._cache[query] = parsed
        return parsed

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        theme: str | None = None,
        municipality: str | None = None,
    ) -> SearchResult:
        parsed = self.parse(query)
        keep = self._filter(theme, municipality)
        top, total = self._best(parsed, offset + limit, keep)
        if not total:
            # Only the size: what people type is personal data and stays out of the logs.
            logger.info("search without results (%s words)", len(parsed.words))
        hits = [SearchHit(doc_id, round(score, 6)) for doc_id, score in top[offset:]]
        return SearchResult(hits, total, parsed.place_name, parsed.themes)

    def _best(
        self, parsed: ParsedQuery, needed: int, keep: Callable[[int], bool] | None
    ) -> tuple[list[tuple[int, float]], int]:
        """The ``needed`` best hits of a query, best first, and how many hits there are."""
        if parsed.concepts:
            scores = apply_cutoff(score_concepts(parsed.concepts, self._postings, len(self._slots)))
            if parsed.places:
                return top_topic_in_place(scores, self._places.sets(parsed.places), needed, keep)
            if keep is not None:
                scores = {doc_id: score for doc_id, score in scores.items() if keep(doc_id)}
            total = len(scores)
        elif parsed.places:
            scores, total = rank_bare_place(parsed.places, self._places, needed, keep)
        else:
            return [], 0
        return heapq.nlargest(needed, scores.items(), key=itemgetter(1)), total

    def _filter(self, theme: str | None, municipality: str | None) -> Callable[[int], bool] | None:
        if theme is None and not municipality:
            return None
        wanted = place_key(municipality) if municipality else None
        docs, slots, places = self._docs, self._slots, self._places

        def keep(doc_id: int) -> bool:
            if theme is not None:
                doc = docs[slots[doc_id]]
                if doc is None or theme not in doc.themes:
                    return False
            return wanted is None or places.municipality(doc_id) == wanted

        return keep

    def suggest_themes(self, query: str, limit: int = 3) -> list[str]:
        """Theme slugs closest to a query, to offer when it found nothing."""
        return suggest_themes(self.parse(query), fold(query), limit)

    def similar(self, doc_id: int, *, limit: int = 5) -> list[SearchHit]:
        """Initiatives like ``doc_id``: shared themes and distinctive words, and nearness."""
        if doc_id not in self._slots:
            return []
        found = self._forward.terms(doc_id)
        total = len(self._slots)
        weighted = []
        for number, value in zip(*found, strict=True):
            term = self._postings.term(number)
            df = self._postings.df(term)
            if 1 < df <= max(2, total // 3) or term.startswith("#"):
                weighted.append((idf(df, total) * value, term))
        scores: dict[int, float] = {}
        for weight, term in heapq.nlargest(_SIMILAR_TERMS, weighted):
            factor = weight * idf(self._postings.df(term), total)
            for other, value in self._postings.items(term):
                if other != doc_id:
                    scores[other] = scores.get(other, 0.0) + factor * value
        if not scores:
            return []
        best = max(scores.values())
        origin = self._places.grid.position(doc_id)
        if origin is not None:
            for other in scores:
                position = self._places.grid.position(other)
                if position is not None:
                    distance = haversine_km(*origin, *position)
                    scores[other] += 0.25 * best * math.exp(-distance / 5.0)
        top = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
        return [SearchHit(other, round(score, 6)) for other, score in top]

    def nearby(
        self, lat: float, lon: float, *, limit: int = 10, max_km: float = 25.0
    ) -> list[NearbyHit]:
        """The nearest initiatives to a point, with their distance in kilometres."""
        found = self._places.grid.within(lat, lon, max_km)[: limit + 5]
        hits = []
        for doc_id, _ in found:
            position = self._places.grid.position(doc_id)
            assert position is not None
            hits.append(NearbyHit(doc_id, round(haversine_km(lat, lon, *position), 3)))
        hits.sort(key=lambda hit: (hit.distance_km, hit.id))
        return hits[:limit]
