"""Evaluate the search on a judged query set and compare it with an SQLite FTS5 baseline.

Usage: python scripts/eval_search.py [--data DIR] [--database URL] [--verbose]

DIR holds initiatives.json and queries.json (default: tests/data/search_eval). The initiatives
are imported into a fresh database with the real importer (a throw-away SQLite file unless
--database names an empty one), the index is built from that database as the bot builds it,
and every query runs against it. The last line of the output is a one-line summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.search.evaluation import METRICS, Report  # noqa: E402
from bot.services.search.evaluation_run import evaluate_through_database  # noqa: E402

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
    parser.add_argument(
        "--database", metavar="URL", help="an empty database to import into (default: temporary)"
    )
    parser.add_argument("--verbose", action="store_true", help="print a per-query table")
    args = parser.parse_args(argv)

    result = asyncio.run(evaluate_through_database(args.data, args.database))
    ours, baseline = result.ours, result.baseline
    queries = ours.queries
    for number, ref, reason in result.rejected:
        sys.stderr.write(f"rejected row {number} ({ref}): {reason}\n")

    lines = [f"{result.initiatives} initiatives (imported), {len(queries)} queries", ""]
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
