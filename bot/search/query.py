"""Understanding a query: places, typos, phrases, compounds, synonyms and themes.

A query becomes a list of *concepts*, one per meaningful word or phrase. A concept is a
set of weighted alternatives: index terms (the literal stem 1.0, synonyms and theme terms
lower, typo corrections lower still) and conjunctions (the parts of a split compound or of
a phrase, which should all match). Places are taken out of the topic words and returned
separately. Parsing is pure; the index supplies document frequencies and the typo dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.search.analysis import Analyzer
from bot.search.fuzzy import FuzzyDictionary
from bot.search.normalize import STOP_WORDS, Word, joined, words
from bot.search.places import Gazetteer, Place
from bot.search.stemmer import stem
from bot.search.themes import theme_term
from bot.search.vocabulary import Phrase, Vocabulary, key_of

FUZZY_WEIGHTS = {1: 0.8, 2: 0.65, 3: 0.55}
SPLIT_WEIGHT = 0.9
SPLIT_MAX_DF = 0  # split a query word only when the whole word is not in the index
PART_EXPANSIONS = 3
JOIN_WEIGHT = 0.95
JOIN_EXPANSION_FACTOR = 0.9
MAX_EXPANSIONS = 24
THEME_MIN_RECOGNISED = 0.55
# "hulp bij huiswerk" is written as one word "huiswerkhulp": the second noun comes first.
_REVERSE_JOIN_PREPOSITIONS = frozenset({"bij", "voor", "met", "van", "op", "in", "over", "tegen"})


@dataclass(slots=True)
class Concept:
    label: str
    literal: str | None = None  # the word itself; synonyms never count as rarer than it
    terms: dict[str, float] = field(default_factory=dict)
    groups: list[tuple[tuple[Concept, ...], float]] = field(default_factory=list)
    themes: dict[str, float] = field(default_factory=dict)

    def add(self, term: str, weight: float) -> None:
        if term and self.terms.get(term, 0.0) < weight:
            self.terms[term] = weight


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    concepts: tuple[Concept, ...]
    places: tuple[Place, ...]
    place_name: str | None
    themes: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(slots=True)
class _Item:
    word: Word
    factor: float = 1.0
    extra: list[tuple[str, float]] = field(default_factory=list)

    @property
    def surface(self) -> str:
        return joined(self.word)

    @property
    def is_stop(self) -> bool:
        return self.surface in STOP_WORDS


class QueryParser:
    def __init__(
        self,
        analyzer: Analyzer,
        vocabulary: Vocabulary,
        gazetteer: Gazetteer,
        fuzzy: FuzzyDictionary,
        df: Callable[[str], int],
    ) -> None:
        self._analyzer = analyzer
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._fuzzy = fuzzy
        self._df = df

    def parse(self, query: str) -> ParsedQuery:
        parsed = words(query)
        items, places, place_name = self._take_places(parsed)
        for item in items:
            self._correct(item)
        concepts = self._concepts(items)
        if not concepts and not places:
            concepts = [self._literal(item) for item in items]
        themes: dict[str, float] = {}
        for concept in concepts:
            for slug, weight in concept.themes.items():
                themes[slug] = max(themes.get(slug, 0.0), weight)
        recognised = tuple(
            slug
            for slug, weight in sorted(themes.items(), key=lambda item: -item[1])
            if weight >= THEME_MIN_RECOGNISED
        )
        normalised = tuple(item.surface for item in items if not item.is_stop)
        return ParsedQuery(tuple(concepts), places, place_name, recognised, normalised)

    # -- places -------------------------------------------------------------------------

    def _take_places(self, parsed: list[Word]) -> tuple[list[_Item], tuple[Place, ...], str | None]:
        parts: list[str] = []
        owner: list[int] = []
        for index, word in enumerate(parsed):
            parts.extend(word)
            owner.extend([index] * len(word))
        matches = self._gazetteer.find(parts)
        if not matches:
            return [_Item(word) for word in parsed], (), None
        removed: set[int] = set()
        for match in matches:
            removed.update(owner[match.start : match.end])
        # The most specific place wins: a buurt over its wijk, a wijk over the city.
        order = {"buurt": 0, "kern": 1, "wijk": 2, "gemeente": 3}
        best = min(matches, key=lambda m: min(order.get(p.kind, 9) for p in m.places))
        items = [_Item(word) for index, word in enumerate(parsed) if index not in removed]
        return items, best.places, best.places[0].name

    # -- typos --------------------------------------------------------------------------

    def _correct(self, item: _Item) -> None:
        surface = item.surface
        if item.is_stop or not surface.isalpha():
            return
        key = stem(surface)
        df = self._df(key)
        if df == 0 and not self._vocabulary.knows(key) and self._analyzer.split(item.word) is None:
            candidates = self._fuzzy.candidates(surface)
            if candidates:
                best, edits = candidates[0]
                item.word = (best,)
                item.factor = FUZZY_WEIGHTS.get(edits, 0.5)
                for other, other_edits in candidates[1:]:
                    item.extra.append((stem(other), FUZZY_WEIGHTS.get(other_edits, 0.5) * 0.9))
        elif df <= 1 and not self._vocabulary.knows(key):
            own = max(1, self._fuzzy.count(surface))
            for other, edits in self._fuzzy.candidates(surface):
                if self._fuzzy.count(other) >= 3 * own:
                    item.extra.append((stem(other), FUZZY_WEIGHTS.get(edits, 0.5) * 0.8))

    # -- concepts -----------------------------------------------------------------------

    def _concepts(self, items: list[_Item]) -> list[Concept]:
        keys = [stem(item.surface) for item in items]
        concepts: list[Concept] = []
        slots: list[Concept | None] = []  # per item: its own word concept, for joins
        index = 0
        while index < len(items):
            size = self._phrase_at(keys, index)
            if size:
                chunk = items[index : index + size]
                factor = min(item.factor for item in chunk)
                concepts.append(self._phrase_concept([item.word for item in chunk], factor))
                slots.extend([None] * size)
                index += size
                continue
            item = items[index]
            if item.is_stop:
                slots.append(None)
            else:
                concept = self._word_concept(item.word, item.factor, split=True)
                for term, weight in item.extra:
                    concept.add(term, weight)
                concepts.append(concept)
                slots.append(concept)
            index += 1
        self._add_joins(items, slots)
        return concepts

    def _phrase_at(self, keys: Sequence[str], start: int) -> int:
        longest = min(self._vocabulary.max_phrase_words, len(keys) - start)
        for size in range(longest, 1, -1):
            if " ".join(keys[start : start + size]) in self._vocabulary.phrase_keys:
                return size
        return 0

    def _add_joins(self, items: list[_Item], slots: list[Concept | None]) -> None:
        for index in range(len(items) - 1):
            first, second = slots[index], slots[index + 1]
            if first is not None and second is not None:
                self._join(items[index].surface + items[index + 1].surface, (first, second))
            third = slots[index + 2] if index + 2 < len(items) else None
            if (
                first is not None
                and third is not None
                and items[index + 1].surface in _REVERSE_JOIN_PREPOSITIONS
            ):
                joined_word = items[index + 2].surface + items[index].surface
                self._join(joined_word, (first, third))

    def _join(self, surface: str, concepts: tuple[Concept, ...]) -> None:
        key = stem(surface)
        known = self._df(key) > 0
        for concept in concepts:
            if known:
                concept.add(key, JOIN_WEIGHT)
            if self._vocabulary.knows(key):
                self._expand(concept, key, JOIN_EXPANSION_FACTOR)

    def _literal(self, item: _Item) -> Concept:
        concept = Concept(item.surface, literal=stem(item.surface))
        concept.add(stem(item.surface), item.factor)
        return concept

    def _word_concept(self, word: Word, factor: float, *, split: bool) -> Concept:
        surface = joined(word)
        key = stem(surface)
        concept = Concept(surface, literal=key)
        concept.add(key, factor)
        if not split:  # a part of a compound: its close synonyms only
            self._expand(concept, key, factor, limit=PART_EXPANSIONS, themes=False)
            return concept
        self._expand(concept, key, factor)
        parts = self._analyzer.split(word)
        if parts and self._df(key) <= SPLIT_MAX_DF:
            subs = tuple(self._word_concept((part,), 1.0, split=False) for part in parts)
            concept.groups.append((subs, SPLIT_WEIGHT * factor))
        return concept

    def _phrase_concept(self, phrase_words: list[Word], factor: float) -> Concept:
        label = " ".join(joined(word) for word in phrase_words)
        concept = Concept(label)
        self._add_phrase(concept, phrase_words, factor)
        self._expand(concept, key_of(phrase_words), factor)
        return concept

    def _add_phrase(self, concept: Concept, phrase_words: Sequence[Word], weight: float) -> None:
        content = [word for word in phrase_words if joined(word) not in STOP_WORDS]
        if not content:
            return
        if len(content) == 1:
            concept.add(stem(joined(content[0])), weight)
            return
        if len(content) == 2:
            concept.add(stem(joined(content[0]) + joined(content[1])), weight)
        parts = tuple(self._literal(_Item(word)) for word in content)
        concept.groups.append((parts, weight))

    def _expand(
        self,
        concept: Concept,
        key: str,
        factor: float,
        *,
        limit: int = MAX_EXPANSIONS,
        themes: bool = True,
    ) -> None:
        for phrase, weight in self._vocabulary.expand(key)[:limit]:
            self._add_target(concept, phrase, weight * factor)
        if not themes:
            return
        for slug, weight in self._vocabulary.themes_for(key).items():
            concept.add(theme_term(slug), weight * factor)
            concept.themes[slug] = max(concept.themes.get(slug, 0.0), weight * factor)

    def _add_target(self, concept: Concept, phrase: Phrase, weight: float) -> None:
        self._add_phrase(concept, phrase.words, weight)
