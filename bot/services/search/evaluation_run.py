"""Evaluating the search the way the bot runs it: the judged initiatives are imported into a
fresh database with the real importer, the index is built from that database by the same
holder the bot uses, and every judged query is run against it. The SQLite FTS5 baseline reads
the same imported initiatives."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.search.evaluation import Fts5Baseline, Report, evaluate, load_queries
from bot.services.initiatives.importer import import_initiatives, read_rows
from bot.services.search.index_sync import SearchIndexHolder
from storage import migrate
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo

IMPORTED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(slots=True)
class EvaluationRun:
    initiatives: int
    rejected: list[tuple[int, str, str]]
    ours: Report
    baseline: Report


async def imported_index(
    initiatives_file: Path, database_url: str
) -> tuple[SearchIndexHolder, list[tuple[int, str, str]]]:
    """Import the file into the (empty) database and build the index from it like the bot."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            report = await import_initiatives(repo, read_rows(initiatives_file), now=IMPORTED_AT)
            holder = SearchIndexHolder()
            await holder.load(repo)
    finally:
        await engine.dispose()
    return holder, report.rejected


async def evaluate_through_database(data: Path, database_url: str | None = None) -> EvaluationRun:
    """Metrics of our search and of the baseline on the judged set in `data`.

    Without a URL a throw-away SQLite file is used."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'eval.db'}"
        holder, rejected = await imported_index(data / "initiatives.json", url)
    queries = load_queries(data / "queries.json")
    documents = list(holder.documents.values())
    refs = {doc.id: doc.ref or str(doc.id) for doc in documents}

    def run(query: str) -> list[str]:
        return [refs[hit.id] for hit in holder.index.search(query, limit=10).hits]

    ours = evaluate(queries, run)
    baseline_index = Fts5Baseline(documents)
    try:
        baseline = evaluate(queries, baseline_index.run)
    finally:
        baseline_index.close()
    return EvaluationRun(len(documents), rejected, ours, baseline)
