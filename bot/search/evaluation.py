"""Measuring search quality on a judged query set, and an SQLite FTS5 baseline.

The metrics follow the evaluation set's definitions: nDCG@5 with gain ``2^g − 1``,
MRR@10 and Recall@10 over items graded 2 or higher (and a capped recall where 1.0 is
reachable). :func:`evaluate` runs any *run function* (query → ranked refs) over the set and
averages overall and per query kind.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.search.index import SearchIndex
from bot.search.models import SearchDocument

RunFunction = Callable[[str], Sequence[str]]
METRICS = ("ndcg5", "mrr10", "recall10", "recall10_capped")


def _dedupe(run: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for ref in run:
        if ref not in seen:
            seen.add(ref)
            result.append(ref)
    return result


def ndcg5(run: Sequence[str], rel: Mapping[str, int]) -> float:
    run = _dedupe(run)
    dcg = sum((2 ** rel.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(run[:5]))
    ideal = sorted(rel.values(), reverse=True)[:5]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def mrr10(run: Sequence[str], rel: Mapping[str, int]) -> float:
    run = _dedupe(run)
    return next((1 / (i + 1) for i, d in enumerate(run[:10]) if rel.get(d, 0) >= 2), 0.0)


def recall10(run: Sequence[str], rel: Mapping[str, int], capped: bool = False) -> float:
    relevant = {d for d, g in rel.items() if g >= 2}
    if not relevant:
        return 0.0
    found = len(relevant & set(_dedupe(run)[:10]))
    return found / (min(len(relevant), 10) if capped else len(relevant))


@dataclass(frozen=True, slots=True)
class JudgedQuery:
    id: str
    query: str
    kind: str
    relevant: dict[str, int]


@dataclass(slots=True)
class QueryScore:
    query: JudgedQuery
    run: list[str]
    metrics: dict[str, float]


@dataclass(slots=True)
class Report:
    overall: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    queries: list[QueryScore] = field(default_factory=list)


def score_query(run: Sequence[str], rel: Mapping[str, int]) -> dict[str, float]:
    return {
        "ndcg5": ndcg5(run, rel),
        "mrr10": mrr10(run, rel),
        "recall10": recall10(run, rel),
        "recall10_capped": recall10(run, rel, capped=True),
    }


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def evaluate(queries: Sequence[JudgedQuery], run: RunFunction) -> Report:
    """Run every judged query and average the metrics overall and per kind."""
    scored = [QueryScore(q, list(run(q.query)), {}) for q in queries]
    for item in scored:
        item.metrics = score_query(item.run, item.query.relevant)
    kinds = sorted({item.query.kind for item in scored})
    by_kind = {
        kind: {
            metric: _mean(i.metrics[metric] for i in scored if i.query.kind == kind)
            for metric in METRICS
        }
        for kind in kinds
    }
    overall = {metric: _mean(i.metrics[metric] for i in scored) for metric in METRICS}
    return Report(overall, by_kind, scored)


# -- loading the judged set -----------------------------------------------------------------


def load_queries(path: Path) -> list[JudgedQuery]:
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [
        JudgedQuery(item["id"], item["query"], item["kind"], dict(item["relevant"]))
        for item in data
    ]


def document_from_record(number: int, record: Mapping[str, Any]) -> SearchDocument:
    return SearchDocument(
        id=number,
        ref=str(record["id"]),
        name=str(record["name"]),
        description=str(record.get("description", "")),
        themes=tuple(record.get("themes", ())),
        municipality=str(record.get("municipality", "")),
        neighbourhood=str(record.get("neighbourhood", "")),
        keywords=tuple(record.get("keywords", ())),
        lat=record.get("lat"),
        lon=record.get("lon"),
    )


def load_documents(path: Path) -> list[SearchDocument]:
    """Initiatives of a judged set; ``dev-NNN`` gets id NNN, other refs count up from 1."""
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    documents = []
    for position, record in enumerate(records, start=1):
        match = re.search(r"(\d+)$", str(record["id"]))
        number = int(match.group(1)) if match else position
        documents.append(document_from_record(number, record))
    return documents


def build_index(documents: Iterable[SearchDocument]) -> SearchIndex:
    index = SearchIndex()
    index.build(documents)
    return index


def index_run(index: SearchIndex, documents: Sequence[SearchDocument]) -> RunFunction:
    refs = {doc.id: doc.ref or str(doc.id) for doc in documents}

    def run(query: str) -> list[str]:
        return [refs[hit.id] for hit in index.search(query, limit=10).hits]

    return run


# -- FTS5 baseline --------------------------------------------------------------------------


class Fts5Baseline:
    """SQLite FTS5 (unicode61 tokenizer), OR of the query words, ordered by bm25."""

    def __init__(self, documents: Iterable[SearchDocument]) -> None:
        self._db = sqlite3.connect(":memory:")
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(ref UNINDEXED, name, description, keywords, "
            "themes, municipality, neighbourhood, tokenize='unicode61')"
        )
        self._db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc.ref or str(doc.id),
                    doc.name,
                    doc.description,
                    " ".join(doc.keywords),
                    " ".join(doc.themes),
                    doc.municipality,
                    doc.neighbourhood,
                )
                for doc in documents
            ],
        )

    def run(self, query: str, limit: int = 10) -> list[str]:
        words = re.findall(r"\w+", query, flags=re.UNICODE)
        if not words:
            return []
        match = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
        rows = self._db.execute(
            "SELECT ref FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def close(self) -> None:
        self._db.close()
