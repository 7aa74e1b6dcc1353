"""`samenspel search`: one JSON line per query from DATABASE_URL, `--limit`, queries from stdin;
and the judged set evaluated through the database as the bot would search it."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.clock import FakeClock
from bot.services.initiatives.importer import import_initiatives, read_rows
from bot.services.search.evaluation_run import evaluate_through_database
from storage import migrate
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo

DATA = Path(__file__).resolve().parent / "data" / "search_eval"


def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_TOKEN", raising=False)

    async def fill() -> None:
        engine = create_engine(url)
        await migrate.upgrade(engine)
        async with create_session_pool(engine)() as session:
            rows = read_rows(DATA / "initiatives.json")
            await import_initiatives(Repo(session), rows, now=FakeClock().now())
        await engine.dispose()

    asyncio.run(fill())


def test_json_search_prints_one_line_with_the_top_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _database(tmp_path, monkeypatch)
    assert main(["search", "--json", "moestuinen", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    found = json.loads(lines[0])
    assert found["query"] == "moestuinen"
    assert len(found["results"]) == 3
    first = found["results"][0]
    assert list(first) == ["ref", "id", "name", "score"]
    assert first["ref"].startswith("dev-") and isinstance(first["id"], int)
    assert "moestuin" in first["name"].lower()
    scores = [item["score"] for item in found["results"]]
    assert scores == sorted(scores, reverse=True)


def test_json_search_gives_ten_results_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _database(tmp_path, monkeypatch)
    assert main(["search", "--json", "ouderen"]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 10


def test_dash_reads_one_query_per_line_and_answers_each_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _database(tmp_path, monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("taalcafe\n\nrepair café\nxyzzyqq\n"))
    assert main(["search", "--json", "-", "--limit", "2"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [item["query"] for item in answers] == ["taalcafe", "", "repair café", "xyzzyqq"]
    assert answers[0]["results"][0]["name"] == "Taalcafé Overvecht"
    assert answers[1]["results"] == [] and answers[3]["results"] == []
    assert answers[2]["results"][0]["name"] == "Repair Café Lombok"


def test_search_without_migrated_database_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    assert main(["search", "--json", "moestuin"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "samenspel migrate" in captured.err


async def test_judged_set_through_the_database_keeps_the_quality_floor() -> None:
    result = await evaluate_through_database(DATA)
    assert (result.initiatives, result.rejected) == (80, [])
    assert result.ours.overall["ndcg5"] >= 0.92
    assert result.ours.overall["mrr10"] >= 0.97
    assert min(values["ndcg5"] for values in result.ours.by_kind.values()) >= 0.75
    assert result.ours.overall["ndcg5"] > result.baseline.overall["ndcg5"] + 0.2
