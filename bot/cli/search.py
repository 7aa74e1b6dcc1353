"""`samenspel search`: the same search as the bot, from the command line, for coordinators and
tooling. The index is built from the published initiatives in DATABASE_URL exactly as the bot
builds it. With `--json` every query gives one line
`{"query": …, "results": [{"ref": …, "id": …, "name": …, "score": …}, …]}`; the query `-`
reads one query per line from standard input and answers each with one line, in order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.lifecycle import DatabaseUnavailableError
from bot.services.search.index_sync import SearchIndexHolder
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo

DEFAULT_LIMIT = 10


def answer(holder: SearchIndexHolder, query: str, limit: int) -> dict[str, Any]:
    """One query's top results as plain values."""
    hits = holder.index.search(query, limit=limit).hits if query.strip() else []
    results = []
    for hit in hits:
        doc = holder.documents[hit.id]
        results.append({"ref": doc.ref, "id": doc.id, "name": doc.name, "score": hit.score})
    return {"query": query, "results": results}


def render(found: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(found, ensure_ascii=False)
    lines = [f"{found['query']}: {len(found['results'])} results"]
    for number, item in enumerate(found["results"], start=1):
        ref = f" [{item['ref']}]" if item["ref"] else ""
        lines.append(f"  {number:>2}. {item['name']}{ref} #{item['id']}  {item['score']:.3f}")
    return "\n".join(lines)


async def load_index(settings: Settings) -> SearchIndexHolder:
    """The search index over the published initiatives of the configured database."""
    holder = SearchIndexHolder()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_pool(engine)() as session:
            await holder.load(Repo(session))
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:160]
        raise DatabaseUnavailableError(
            f"DATABASE_URL: cannot read the initiatives ({reason}). "
            "Check the URL, and run `samenspel migrate` on a new database."
        ) from None
    finally:
        await engine.dispose()
    return holder


async def run(
    settings: Settings,
    query: str,
    *,
    limit: int,
    as_json: bool,
    out: TextIO,
    lines: Iterable[str] = (),
) -> int:
    """Answer `query`, or every line of `lines` when the query is `-`; returns how many."""
    holder = await load_index(settings)
    queries = (line.rstrip("\r\n") for line in lines) if query == "-" else iter([query])
    count = 0
    for text in queries:
        out.write(render(answer(holder, text, limit), as_json) + "\n")
        out.flush()
        count += 1
    return count
