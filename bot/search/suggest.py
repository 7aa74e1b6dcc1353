"""Suggesting themes for a query that found nothing."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.catalog.themes import THEMES
from bot.search.normalize import content_tokens
from bot.search.query import ParsedQuery

_MIN_SIMILARITY = 70.0


def _label_choices() -> dict[str, str]:
    choices: dict[str, str] = {}
    for slug, label in THEMES.items():
        for text in (label.nl, label.en, slug.replace("-", " ")):
            choices[text.lower()] = slug
    return choices


_CHOICES = _label_choices()


def suggest_themes(parsed: ParsedQuery, folded_query: str, limit: int = 3) -> list[str]:
    """Theme slugs the query points to, strongest first; by spelling when nothing else."""
    weights: dict[str, float] = {}
    for concept in parsed.concepts:
        for slug, weight in concept.themes.items():
            weights[slug] = max(weights.get(slug, 0.0), weight)
    if not weights:
        for word in content_tokens(folded_query):
            for text, score, _ in process.extract(
                word, list(_CHOICES), scorer=fuzz.WRatio, score_cutoff=_MIN_SIMILARITY, limit=3
            ):
                slug = _CHOICES[text]
                weights[slug] = max(weights.get(slug, 0.0), score / 100.0)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [slug for slug, _ in ranked[:limit]]
