"""Benchmark the search on synthetic corpora of 1k, 10k and 100k initiatives.

Usage: python scripts/bench_search.py [--data DIR] [--sizes 1000,10000,100000] [--queries N]

The corpora are generated (seeded) from the development initiatives: names, description
sentences, keywords, themes and places are recombined, with new compound words and typos
mixed in so the vocabulary grows like a real one. Each size runs in a fresh process, so the
memory figure is the resident-set growth of building that index. The last line is a
one-line summary for tracking.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.search import SearchDocument, SearchIndex  # noqa: E402
from bot.search.evaluation import Fts5Baseline  # noqa: E402

SEED = 20240501
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")
_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ]{5,}")
_PREFIXES = ("Stichting", "Buurtinitiatief", "Vereniging", "Project", "Werkgroep", "Club")


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


class CorpusGenerator:
    def __init__(self, records: list[dict[str, Any]], seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.records = records
        self.sentences = [
            sentence for r in records for sentence in _SENTENCE_RE.split(r["description"])
        ]
        self.words = sorted(
            {
                w.lower()
                for r in records
                for w in _WORD_RE.findall(r["name"] + " " + r["description"])
            }
        )
        self.name_words = sorted({w for r in records for w in r["name"].split() if len(w) > 3})
        self.keywords = sorted({k for r in records for k in r["keywords"]})
        self.places = sorted(
            {(r["municipality"], r["neighbourhood"], r["lat"], r["lon"]) for r in records}
        )

    def _vary(self, text: str) -> str:
        rng = self.rng
        out = []
        for word in text.split():
            roll = rng.random()
            if roll < 0.03:
                out.append(_typo(word, rng))
            elif roll < 0.08:
                out.append(rng.choice(self.words) + rng.choice(self.words))
            else:
                out.append(word)
        return " ".join(out)

    def document(self, doc_id: int) -> SearchDocument:
        rng = self.rng
        base = rng.choice(self.records)
        municipality, neighbourhood, lat, lon = rng.choice(self.places)
        name_parts = [
            rng.choice(_PREFIXES) if rng.random() < 0.3 else "",
            rng.choice(self.name_words),
            rng.choice(self.name_words),
        ]
        if rng.random() < 0.4:
            name_parts.append(neighbourhood or municipality)
        sentences = (
            [base["description"]]
            if rng.random() < 0.3
            else rng.sample(self.sentences, rng.randint(2, 4))
        )
        themes = list(base["themes"])
        rng.shuffle(themes)
        return SearchDocument(
            id=doc_id,
            ref=f"syn-{doc_id}",
            name=" ".join(part for part in name_parts if part),
            description=self._vary(" ".join(sentences)),
            themes=tuple(themes[: rng.randint(1, len(themes))]),
            municipality=municipality,
            neighbourhood=neighbourhood,
            keywords=tuple(rng.sample(self.keywords, rng.randint(0, 4))),
            lat=lat + rng.uniform(-0.01, 0.01),
            lon=lon + rng.uniform(-0.01, 0.01),
        )

    def corpus(self, size: int) -> list[SearchDocument]:
        return [self.document(doc_id) for doc_id in range(1, size + 1)]


def make_queries(queries: list[dict[str, Any]], count: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed + 1)
    base = [q["query"] for q in queries]
    towns = ["utrecht", "amersfoort", "zeist", "houten", "nieuwegein", "overvecht", "soest"]
    result = list(base)
    while len(result) < count:
        query = rng.choice(base)
        roll = rng.random()
        if roll < 0.25:
            query = f"{query} {rng.choice(towns)}"
        elif roll < 0.5:
            query = " ".join(_typo(word, rng) for word in query.split())
        elif roll < 0.65:
            query = f"ik zoek {query}"
        elif roll < 0.8:
            query = query.upper()
        result.append(query)
    return result


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_single(data: Path, size: int, query_count: int, baseline: bool) -> dict[str, float]:
    records = json.loads((data / "initiatives.json").read_text(encoding="utf-8"))
    queries = make_queries(
        json.loads((data / "queries.json").read_text(encoding="utf-8")), query_count
    )
    docs = CorpusGenerator(records).corpus(size)
    index = SearchIndex()
    rss_before = _rss_mb()
    started = time.perf_counter()
    index.build(docs)
    build_s = time.perf_counter() - started
    rss_mb = _rss_mb() - rss_before
    timings = []
    for query in queries:
        index.clear_query_cache()
        started = time.perf_counter()
        index.search(query, limit=10)
        timings.append((time.perf_counter() - started) * 1000.0)
    upsert_started = time.perf_counter()
    for doc in docs[:100]:
        index.upsert(doc)
    upsert_ms = (time.perf_counter() - upsert_started) * 10.0
    result = {
        "size": size,
        "build_s": build_s,
        "rss_mb": rss_mb,
        "upsert_ms": upsert_ms,
        "p50_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
    }
    if baseline:
        fts = Fts5Baseline(docs)
        base_timings = []
        for query in queries:
            started = time.perf_counter()
            with contextlib.suppress(sqlite3.OperationalError):
                fts.run(query)
            base_timings.append((time.perf_counter() - started) * 1000.0)
        fts.close()
        result["baseline_p50_ms"] = statistics.median(base_timings)
        result["baseline_p95_ms"] = _percentile(base_timings, 0.95)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "search_eval")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--single", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.single:
        result = run_single(args.data, args.single, args.queries, args.baseline)
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    results: dict[int, dict[str, float]] = {}
    for size in (int(part) for part in args.sizes.split(",")):
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--data",
            str(args.data),
            "--single",
            str(size),
            "--queries",
            str(args.queries),
        ]
        if size == 10000:
            command.append("--baseline")
        env = dict(os.environ, PYTHONHASHSEED="0")
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        results[size] = json.loads(output.stdout.strip().splitlines()[-1])

    lines = [
        f"{'size':>8} {'build s':>9} {'rss MB':>8} {'p50 ms':>8} {'p95 ms':>8} {'upsert ms':>10}"
    ]
    for size, r in results.items():
        lines.append(
            f"{size:>8} {r['build_s']:>9.2f} {r['rss_mb']:>8.1f} {r['p50_ms']:>8.2f} "
            f"{r['p95_ms']:>8.2f} {r['upsert_ms']:>10.2f}"
        )
    ten = results.get(10000, {})
    if "baseline_p95_ms" in ten:
        lines.append(
            f"baseline fts5 at 10k: p50 {ten['baseline_p50_ms']:.2f} ms, "
            f"p95 {ten['baseline_p95_ms']:.2f} ms"
        )

    def get(size: int, key: str) -> float:
        return float(results.get(size, {}).get(key, float("nan")))

    lines.append(
        f"search-bench build_10k_s={get(10000, 'build_s'):.2f} "
        f"p95_1k_ms={get(1000, 'p95_ms'):.2f} p95_10k_ms={get(10000, 'p95_ms'):.2f} "
        f"p95_100k_ms={get(100000, 'p95_ms'):.2f} "
        f"baseline_p95_10k_ms={get(10000, 'baseline_p95_ms'):.2f} "
        f"rss_100k_mb={get(100000, 'rss_mb'):.1f}"
    )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
