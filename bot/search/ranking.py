"""Scoring parsed queries against the postings and ordering the hits.

A concept's score for an initiative is its best alternative: ``weight × idf × saturated tf``
for a term, or the averaged part scores of a conjunction, discounted when parts are
missing. Concept scores are summed and scaled by the share of concepts matched, so an
initiative that matches every word of the query ranks above one that matches a single word
very strongly. Place-aware ordering lives in :mod:`.placerank`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from bot.search.query import Concept
from bot.search.scoring import Postings, idf

COORDINATION_EXPONENT = 1.0
# Alternatives that can add less than this share of the strongest one are skipped.
PRUNE_SHARE = 0.25
CONJUNCTION_MISSING_EXPONENT = 2.0
RELATIVE_CUTOFF = 0.12


# Scores of the simple concepts (no parts) of one query, by what they are made of: the parts of
# a query's compounds repeat ("taalcafé" is also "taal" + "cafe" and "language" + "cafe").
_Memo = dict[tuple[str | None, tuple[tuple[str, float], ...]], dict[int, float]]


def concept_scores(
    concept: Concept, postings: Postings, total: int, memo: _Memo | None = None
) -> dict[int, float]:
    key = None
    if memo is not None and not concept.groups:
        key = (concept.literal, tuple(concept.terms.items()))
        known = memo.get(key)
        if known is not None:
            return known
    literal_df = postings.df(concept.literal) if concept.literal else 0
    cap = idf(literal_df, total) if literal_df else math.inf
    factors: list[tuple[float, str]] = []
    for term, weight in concept.terms.items():
        df = postings.df(term)
        if df == 0:
            continue
        term_idf = idf(df, total)
        if term != concept.literal:
            term_idf = min(term_idf, cap)
        factors.append((weight * term_idf, term))
    factors.sort(reverse=True)
    scores: dict[int, float] = {}
    for factor, term in factors:
        if factor < PRUNE_SHARE * factors[0][0]:
            break
        ids, values = postings.arrays(term)
        if not scores:  # the strongest alternative: its scores as they are, built in C
            scores = dict(zip(ids, map(factor.__mul__, values), strict=True))
            continue
        get = scores.get
        for doc_id, value in zip(ids, values, strict=True):
            score = factor * value
            if score > get(doc_id, 0.0):
                scores[doc_id] = score
    for parts, weight in concept.groups:
        _merge_max(scores, _conjunction(parts, weight, postings, total, memo))
    if key is not None and memo is not None:
        memo[key] = scores
    return scores


def _conjunction(
    parts: tuple[Concept, ...], weight: float, postings: Postings, total: int, memo: _Memo | None
) -> dict[int, float]:
    """The parts should match together: the average part score, for initiatives that match
    at least two parts, discounted for each missing part."""
    part_scores = [concept_scores(part, postings, total, memo) for part in parts]
    size = len(parts)
    if size == 1:
        return {doc_id: weight * score for doc_id, score in part_scores[0].items()}
    full = weight / size
    if size == 2:
        small, large = sorted(part_scores, key=len)
        get = large.get
        both: dict[int, float] = {}
        for doc_id, score in small.items():
            other = get(doc_id)
            if other is not None:
                both[doc_id] = full * (score + other)
        return both
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for found in part_scores:
        for doc_id, score in found.items():
            sums[doc_id] = sums.get(doc_id, 0.0) + score
            counts[doc_id] = counts.get(doc_id, 0) + 1
    factors = [
        full * (matched / size) ** CONJUNCTION_MISSING_EXPONENT for matched in range(size + 1)
    ]
    return {
        doc_id: value * factors[counts[doc_id]]
        for doc_id, value in sums.items()
        if counts[doc_id] >= 2
    }


def _merge_max(target: dict[int, float], source: dict[int, float]) -> None:
    get = target.get
    for doc_id, score in source.items():
        if score > get(doc_id, 0.0):
            target[doc_id] = score


def score_concepts(concepts: Iterable[Concept], postings: Postings, total: int) -> dict[int, float]:
    """Combined topical score per initiative for all concepts of a query."""
    concept_list = list(concepts)
    if not concept_list:
        return {}
    memo: _Memo = {}
    size = len(concept_list)
    if size == 1:
        return concept_scores(concept_list[0], postings, total, memo)
    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    for concept in concept_list:
        get_total = totals.get
        get_matched = matched.get
        for doc_id, score in concept_scores(concept, postings, total, memo).items():
            totals[doc_id] = get_total(doc_id, 0.0) + score
            matched[doc_id] = get_matched(doc_id, 0) + 1
    factors = [(count / size) ** COORDINATION_EXPONENT for count in range(size + 1)]
    return {doc_id: score * factors[matched[doc_id]] for doc_id, score in totals.items()}


def apply_cutoff(scores: dict[int, float]) -> dict[int, float]:
    """Drop hits far below the best one: they are noise for the reader."""
    if not scores:
        return scores
    values = scores.values()
    floor = max(values) * RELATIVE_CUTOFF
    if min(values) >= floor:  # as with most queries: nothing to drop, nothing to copy
        return scores
    return {doc_id: score for doc_id, score in scores.items() if score >= floor}
