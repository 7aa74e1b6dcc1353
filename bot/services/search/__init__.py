"""Keyword search over initiative profiles, tuned for Dutch community work.

Dutch and English queries, folded case and accents, Dutch stemming, compound words in both
directions, typo tolerance, a vocabulary of the field, place and theme awareness, and
BM25F-style ranking. Pure Python plus rapidfuzz, in memory, synchronous.
"""

from .index import SearchIndex
from .models import NearbyHit, SearchDocument, SearchHit, SearchResult
from .places import Gazetteer
from .themes import THEME_SLUGS, THEMES, ThemeLabel
from .vocabulary import Vocabulary

__all__ = [
    "THEMES",
    "THEME_SLUGS",
    "Gazetteer",
    "NearbyHit",
    "SearchDocument",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
    "ThemeLabel",
    "Vocabulary",
]
