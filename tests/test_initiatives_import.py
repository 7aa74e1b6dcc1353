"""`samenspel import initiatives FILE`: JSON or CSV by ref, idempotent, rejected rows reported
with their reason without stopping the rest, and the counts on the last line."""

from __future__ import annotations

import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.imports import import_initiatives_file
from bot.clock import FakeClock
from bot.config import ConfigError, Settings
from bot.services.initiatives.importer import import_initiatives, read_rows
from storage.models import Initiative, InitiativeMember
from storage.repositories import Repo

DEV_FILE = Path(__file__).parent / "data" / "search_eval" / "initiatives.json"
CSV = (
    "id,name,description,themes,municipality,neighbourhood,keywords,lat,lon\n"
    "csv-1,Taalcafé Vathorst,Elke dinsdag oefenen we Nederlands met koffie.,taal;nieuwkomers,"
    "Amersfoort,Vathorst,taal;koffie,52.193,5.418\n"
    "csv-2,Kapot,Iets,armoede,Amsterdam,,,,\n"
    "csv-3,Voedselhulp Zeist,Wekelijks een pakket voor wie het krap heeft.,armoede;eten,Zeist,,,,\n"
    "csv-4,Buurtmoestuin Bunnik,Samen tuinieren naast het dorpshuis.,natuur-en-groen,bunnik,,,"
    "52.37,4.90\n"
    "csv-1,Taalcafé Vathorst,Nog een keer.,taal,Amersfoort,,,,\n"
)


async def test_json_import_twice_changes_nothing_the_second_time(
    repo: Repo, clock: FakeClock
) -> None:
    rows = read_rows(DEV_FILE)
    first = await import_initiatives(repo, rows, now=clock.now())
    assert first.summary() == "imported=80 updated=0 unchanged=0 rejected=0"
    stored = (await repo.session.execute(select(Initiative))).scalars().all()
    assert all(i.status == "published" and i.consent_source == "import" for i in stored)
    assert (await repo.session.execute(select(InitiativeMember))).scalars().all() == []
    before = {i.ref: (i.updated_at, i.last_confirmed_at) for i in stored}

    clock.advance(timedelta(days=1))
    second = await import_initiatives(repo, read_rows(DEV_FILE), now=clock.now())
    assert second.summary() == "imported=0 updated=0 unchanged=80 rejected=0"
    repo.session.expire_all()
    after = (await repo.session.execute(select(Initiative))).scalars().all()
    assert {i.ref: (i.updated_at, i.last_confirmed_at) for i in after} == before


async def test_changed_rows_are_updated_by_ref(
    repo: Repo, clock: FakeClock, tmp_path: Path
) -> None:
    data = json.loads(DEV_FILE.read_text(encoding="utf-8"))[:3]
    path = tmp_path / "adressen.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    await import_initiatives(repo, read_rows(path), now=clock.now())
    data[1]["description"] = "Een nieuwe beschrijving van de samentuin."
    path.write_text(json.dumps(data), encoding="utf-8")
    report = await import_initiatives(repo, read_rows(path), now=clock.now())
    assert report.summary() == "imported=0 updated=1 unchanged=2 rejected=0"
    stored = await repo.initiatives.by_refs(["dev-002"])
    assert stored["dev-002"].description == "Een nieuwe beschrijving van de samentuin."


async def test_csv_rows_are_checked_one_by_one_and_rejections_listed(
    settings: Settings, tmp_path: Path, repo: Repo, clock: FakeClock, database_url: str
) -> None:
    if "postgresql" in database_url:
        pytest.skip("the command line migrates its own database; covered on SQLite")
    path = tmp_path / "adressen.csv"
    path.write_text(CSV, encoding="utf-8")
    settings = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{tmp_path}/c.db"})
    out = io.StringIO()
    await import_initiatives_file(settings, path, out, clock)
    assert out.getvalue().splitlines() == [
        "rejected row 3 (csv-2): unknown municipality 'Amsterdam'",
        "rejected row 4 (csv-3): unknown theme 'eten'",
        "rejected row 5 (csv-4): the location is outside the province of Utrecht",
        "rejected row 6 (csv-1): this id appears more than once in the file",
        "imported=1 updated=0 unchanged=0 rejected=4",
    ]
    out = io.StringIO()
    await import_initiatives_file(settings, path, out, clock)
    assert out.getvalue().splitlines()[-1] == "imported=0 updated=0 unchanged=1 rejected=4"


def test_unreadable_file_stops_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "kapot.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")  # type: ignore[call-arg]
    import asyncio

    with pytest.raises(ConfigError, match="is not valid JSON"):
        asyncio.run(import_initiatives_file(settings, path, io.StringIO()))


def test_command_line_prints_the_counts_last(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    copy = tmp_path / "initiatives.json"
    shutil.copy(DEV_FILE, copy)
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "BOT_TOKEN": ""}
    command = [sys.executable, "-m", "bot", "import", "initiatives", str(copy)]
    root = Path(__file__).resolve().parent.parent
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, check=True)
    assert first.stdout.splitlines()[-1] == "imported=80 updated=0 unchanged=0 rejected=0"
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, check=True)
    assert again.stdout.splitlines()[-1] == "imported=0 updated=0 unchanged=80 rejected=0"
