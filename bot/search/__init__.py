"""Keyword search over initiative profiles, tuned for Dutch community work.

Dutch and English queries, folded case and accents, Dutch stemming, compound words in both
directions, typo tolerance, a vocabulary of the field, place and theme awareness, and
BM25F-style ranking. Pure Python plus rapidfuzz, in memory, synchronous.
"""

from bot.search.index import SearchIndex
from bot.search.models import Listed, NearbyHit, SearchDocument, SearchHit, SearchResult
from bot.search.places import Gazetteer
from bot.search.vocabulary import Vocabulary

__all__ = [
    "Gazetteer",
    "Listed",
    "NearbyHit",
    "SearchDocument",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
    "Vocabulary",
]
