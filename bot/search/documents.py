"""Reading one initiative for the index: its words per field, term counts and lengths.

Each text is tokenised once here and the words are shared by everything that needs them:
the compound lexicon, the typo dictionary, the field statistics and the place mentions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.search.analysis import Analyzer
from bot.search.models import SearchDocument
from bot.search.normalize import STOP_WORDS, Word, joined, words

FIELDS = ("name", "keywords", "description")
Lengths = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class DocWords:
    name: list[Word]
    description: list[Word]
    keywords: list[list[Word]]

    def all(self) -> Iterator[Word]:
        yield from self.name
        yield from self.description
        for keyword in self.keywords:
            yield from keyword

    def surfaces(self) -> list[str]:
        """Every word written as one string, in text order."""
        return [joined(word) for word in self.all()]

    def lengths(self) -> Lengths:
        """Field lengths in words (stop words not counted), as :func:`field_counts` gives."""
        name = sum(1 for word in self.name if joined(word) not in STOP_WORDS)
        keywords = sum(
            1 for keyword in self.keywords for word in keyword if joined(word) not in STOP_WORDS
        )
        description = sum(1 for word in self.description if joined(word) not in STOP_WORDS)
        return (name, keywords, description)

    def part_lists(self) -> list[list[str]]:
        """Per text, the words with hyphenated words split, for finding place names."""
        texts = [self.name, self.description, *self.keywords]
        return [[part for word in text for part in word] for text in texts]


def read_words(doc: SearchDocument) -> DocWords:
    return DocWords(
        words(doc.name), words(doc.description), [words(keyword) for keyword in doc.keywords]
    )


def field_counts(
    doc_words: DocWords, analyzer: Analyzer
) -> tuple[dict[str, dict[str, float]], Lengths]:
    """Weighted term counts per field, and the field lengths in words."""
    name, name_length = analyzer.field_terms(doc_words.name, bigrams=True)
    description, description_length = analyzer.field_terms(doc_words.description, bigrams=False)
    keywords: dict[str, float] = {}
    keywords_length = 0
    for keyword in doc_words.keywords:
        counts, length = analyzer.field_terms(keyword, bigrams=True)
        keywords_length += length
        for term, count in counts.items():
            keywords[term] = keywords.get(term, 0.0) + count
    counts_by_field = {"name": name, "keywords": keywords, "description": description}
    return counts_by_field, (name_length, keywords_length, description_length)


def lengths_by_field(lengths: Lengths) -> dict[str, int]:
    return dict(zip(FIELDS, lengths, strict=True))
