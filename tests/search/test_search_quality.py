"""Quality floor on the judged development set, so ranking cannot silently get worse."""

from __future__ import annotations

from pathlib import Path

from bot.search.evaluation import (
    Fts5Baseline,
    build_index,
    evaluate,
    index_run,
    load_documents,
    load_queries,
    mrr10,
    ndcg5,
    recall10,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "search_eval"


def test_metrics_follow_the_reference_definitions() -> None:
    rel = {"a": 3, "b": 2, "c": 1}
    assert ndcg5(["a", "b", "c"], rel) == 1.0
    assert mrr10(["c", "x", "b"], rel) == 1 / 3
    assert recall10(["a", "a", "x"], rel) == 0.5
    assert ndcg5([], rel) == 0.0


def test_dev_set_quality_stays_above_the_floor() -> None:
    documents = load_documents(DATA / "initiatives.json")
    queries = load_queries(DATA / "queries.json")
    report = evaluate(queries, index_run(build_index(documents), documents))
    assert report.overall["ndcg5"] >= 0.92
    assert report.overall["mrr10"] >= 0.97
    assert min(values["ndcg5"] for values in report.by_kind.values()) >= 0.75
    baseline = Fts5Baseline(documents)
    baseline_report = evaluate(queries, baseline.run)
    baseline.close()
    assert report.overall["ndcg5"] > baseline_report.overall["ndcg5"] + 0.2
