"""Evaluate the search on a judged query set and compare it with an SQLite FTS5 baseline.

Usage: python scripts/eval_search.py [--data DIR] [--verbose]

DIR holds initiatives.json and queries.json (default: tests/data/search_eval). The last
line of the output is a one-line summary for tracking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.services.search.evaluation import (  # noqa: E402
    METRICS,
    Fts5Baseline,
    Report,
    build_index,
    evaluate,
    index_run,
    load_documents,
    load_queries,
)

_HEADERS = {"ndcg5": "nDCG@5", "mrr10": "MRR@10", "recall10": "R@10", "recall10_capped": "R@10c"}


def _table(title: str, report: Report) -> list[str]:
    lines = [title, f"  {'kind':<12}" + "".join(f"{_HEADERS[m]:>9}" for m in METRICS)]
    for kind, values in report.by_kind.items():
        lines.append(f"  {kind:<12}" + "".join(f"{values[m]:>9.3f}" for m in METRICS))
    lines.append(f"  {'overall':<12}" + "".join(f"{report.overall[m]:>9.3f}" for m in METRICS))
    return lines


def _details(report: Report) -> list[str]:
    lines = ["per query (ours):"]
    for item in report.queries:
        rel = item.query.relevant
        top = " ".join(f"{ref}:{rel.get(ref, 0)}" for ref in item.run[:5])
        lines.append(
            f"  {item.query.id} {item.query.kind:<10} {item.query.query!r:<28} "
            f"ndcg5={item.metrics['ndcg5']:.3f} mrr={item.metrics['mrr10']:.2f}  {top}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "search_eval")
    parser.add_argument("--verbose", action="store_true", help="print a per-query table")
    args = parser.parse_args(argv)

    documents = load_documents(args.data / "initiatives.json")
    queries = load_queries(args.data / "queries.json")
    ours = evaluate(queries, index_run(build_index(documents), documents))
    baseline_index = Fts5Baseline(documents)
    baseline = evaluate(queries, baseline_index.run)
    baseline_index.close()

    lines = [f"{len(documents)} initiatives, {len(queries)} queries", ""]
    lines += [*_table("search (ours)", ours), ""]
    lines += [*_table("baseline (sqlite fts5, OR of words, bm25)", baseline), ""]
    if args.verbose:
        lines += [*_details(ours), ""]
    lines.append(
        f"search ndcg5={ours.overall['ndcg5']:.3f} mrr10={ours.overall['mrr10']:.3f} "
        f"recall10={ours.overall['recall10']:.3f} "
        f"baseline_ndcg5={baseline.overall['ndcg5']:.3f} "
        f"baseline_mrr10={baseline.overall['mrr10']:.3f}"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
