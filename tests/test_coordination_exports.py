"""CSV exports in the chat and on the command line: UTF-8 with BOM, `;`-separated, the right
columns, Dutch characters intact; debriefs as a header-only file until they exist."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage, SetMyCommands
from aiogram.types import BufferedInputFile
from sqlalchemy import select

from bot.cli.main import main
from bot.keyboards.callbacks import ExportCallback
from storage.engine import create_engine, create_session_pool
from storage.models import AuditEntry
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import add_event, add_initiative, add_user, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

ZOE = 8001


async def _fill(repo: Repo) -> int:
    await add_user(repo, COORDINATOR_ID, role="coordinator", first_name="Kees")
    await add_user(repo, ZOE, first_name="Zoë", username="zoe")
    await add_initiative(
        repo, [ZOE], name="Café De Ontmoeting – Zuilen", themes=["ouderen", "taal"],
        keywords=["koffie", "ontmoeting"], municipality="Utrecht", lat=52.09, lon=5.12,
    )  # fmt: skip
    event = await add_event(repo, title="Taalcafé: één ‘gezellige’ avond", venue="Buurthuis Oase")
    await register(repo, event.id, ZOE, "attended")
    await add_event(repo, title="Vorig jaar", starts_at=datetime(2025, 3, 1, 18, tzinfo=UTC))
    return event.id


def _table(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads the accents"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


async def test_registrations_export_as_a_document_with_dutch_characters(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    event_id = await _fill(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/export aanmeldingen 2026"))
    sent = bot_api.take(SendDocument)
    assert sent.caption == ("📄 Aanmeldingen: 1. Opent in Excel; kolommen zijn gescheiden door ;")
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == "samenspel-registrations-2026-03-02.csv"
    rows = _table(sent.document.data)
    assert rows[0] == [
        "nummer", "nummer activiteit", "activiteit", "begin activiteit", "nummer persoon",
        "voornaam", "status", "personen", "plek op de wachtlijst", "laat afgemeld", "aangemeld op",
        "afgemeld op",
    ]  # fmt: skip
    assert rows[1:] == [
        [
            "1", str(event_id), "Taalcafé: één ‘gezellige’ avond", "2026-03-10 19:30",
            str(ZOE), "Zoë", "aanwezig", "1", "", "nee", "2026-03-02 10:00", "",
        ]
    ]  # fmt: skip

    await feed(message_update(kees, "/export registraties"))  # the Dutch word works too
    assert _table(bot_api.take(SendDocument).document.data)[1:] == rows[1:]  # type: ignore[union-attr]


async def test_initiatives_and_events_exports(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await _fill(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await feed(message_update(kees, "/export initiatives"))
    document = bot_api.take(SendDocument).document
    assert isinstance(document, BufferedInputFile)
    rows = _table(document.data)
    assert rows[0] == [
        "number", "reference", "name", "status", "themes", "municipality", "neighbourhood",
        "website", "email", "phone", "Telegram", "search words", "latitude", "longitude",
        "members", "published on", "last checked on", "added on",
    ]  # fmt: skip
    assert rows[1][2:6] == [
        "Café De Ontmoeting – Zuilen",
        "published",
        "Older people, Language",
        "Utrecht",
    ]
    assert rows[1][12:15] == ["52.09", "5.12", "1"]  # a map tool reads the spot

    kees_nl = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees_nl, "/export initiatieven"))
    dutch = _table(bot_api.take(SendDocument).document.data)  # type: ignore[union-attr]
    assert dutch[1][3:5] == ["gepubliceerd", "Ouderen, Taal"]
    assert dutch[1][12:14] == ["52,09", "5,12"]  # Dutch Excel reads a decimal comma

    await feed(message_update(kees, "/export events"))
    rows = _table(bot_api.take(SendDocument).document.data)  # type: ignore[union-attr]
    assert rows[0][:4] == ["number", "kind", "status", "title"]
    assert rows[1][1:3] == ["dialogue table", "published"]
    assert [(r[3], r[12], r[14]) for r in rows[1:]] == [
        ("Vorig jaar", "0", "0"),
        ("Taalcafé: één ‘gezellige’ avond", "1", "1"),
    ]


async def test_debriefs_have_their_columns_and_audit_log_is_exported(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await _fill(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(callback_update(kees, ExportCallback(what="debriefs").pack()))
    bot_api.take(AnswerCallbackQuery)
    sent = bot_api.take(SendDocument)
    assert sent.caption == (
        "📄 Nabesprekingen: nog niets, dus het bestand heeft alleen de kolomnamen."
    )
    assert _table(sent.document.data) == [  # type: ignore[union-attr]
        [
            "nummer activiteit", "activiteit", "begin activiteit", "nummer begeleider",
            "deelnemers", "onderwerpen", "verstuurd op",
        ]
    ]  # fmt: skip

    await feed(message_update(kees, "/rol @zoe begeleider"))
    bot_api.take(SetMyCommands), bot_api.take(SetMyCommands)  # the facilitator's own menu
    assert bot_api.take(SendMessage).text.startswith("✅ Zoë is nu dialoogbegeleider.")
    await feed(message_update(kees, "/export log"))
    rows = _table(bot_api.take(SendDocument).document.data)  # type: ignore[union-attr]
    assert rows == [
        ["nummer", "moment", "gedaan door (nummer)", "actie", "over", "details"],
        ["1", "2026-03-02 10:00", str(COORDINATOR_ID), "export", "debriefs",
         '{"from": null, "rows": 0, "until": null, "via": "chat"}'],
        ["2", "2026-03-02 10:00", str(COORDINATOR_ID), "role.set", f"user:{ZOE}",
         '{"from": "resident", "to": "facilitator"}'],
    ]  # fmt: skip


async def test_export_without_a_choice_offers_buttons(feed: Feeder, bot_api: MockedBotAPI) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/export"))
    answer = bot_api.take(SendMessage)
    assert answer.text == (
        "Wat wil je exporteren? Tik op een knop, of typ bijvoorbeeld /export events 2026."
    )
    assert button_rows(answer.reply_markup) == [
        ["Initiatieven", "Activiteiten"],
        ["Aanmeldingen", "Nabesprekingen"],
        ["Reacties", "Logboek"],
    ]
    await feed(message_update(kees, "/export events ooit"))
    assert bot_api.take(SendMessage).text.startswith("Die periode begrijp ik niet.")


def test_command_line_export_writes_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["migrate"]) == 0

    async def fill() -> None:
        engine = create_engine(url)
        async with create_session_pool(engine)() as session:
            await _fill(Repo(session))
        await engine.dispose()

    asyncio.run(fill())
    target = tmp_path / "aanmeldingen.csv"
    argv = ["export", "registrations", "--from", "2026-01-01", "--to", "2026-12-31", "-o"]
    assert main([*argv, str(target)]) == 0
    assert capsys.readouterr().out.endswith(f"registrations: 1 rows written to {target}\n")
    rows = _table(target.read_bytes())
    assert rows[0][:2] == ["nummer", "nummer activiteit"] and rows[1][5:7] == ["Zoë", "aanwezig"]

    assert main(["export", "events", "--to", "2025-12-31"]) == 0
    written = sorted(tmp_path.glob("samenspel-events-*.csv"))
    assert len(written) == 1
    assert [r[3] for r in _table(written[0].read_bytes())[1:]] == ["Vorig jaar"]

    async def logged() -> list[tuple[int | None, str, str, str]]:
        engine = create_engine(url)
        async with create_session_pool(engine)() as session:
            rows = await session.execute(
                select(
                    AuditEntry.actor_id, AuditEntry.action, AuditEntry.target, AuditEntry.details
                )
            )
            found = [
                (actor, action, target, details["via"]) for actor, action, target, details in rows
            ]
        await engine.dispose()
        return found

    # Personal data left the database: who, what, how is in the log (no person: the server).
    assert asyncio.run(logged()) == [
        (None, "export", "registrations", "command line"),
        (None, "export", "events", "command line"),
    ]


HOSTILE = '=HYPERLINK("https://evil.example";"klik")'


async def test_a_cell_that_would_start_a_formula_is_neutralised_in_every_export(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    """CSV formula injection (OWASP): a name a spreadsheet would run as a formula is written with
    a leading apostrophe, so it is shown as the text it is and never becomes a live link."""
    await add_user(repo, COORDINATOR_ID, role="coordinator", first_name="Kees")
    await add_user(repo, ZOE, first_name=HOSTILE, username="zoe")
    await add_initiative(repo, [ZOE], name="@SUM(1+1)", municipality="Utrecht")
    event_id = (await add_event(repo, title="+31 praat mee", venue="-Buurthuis")).id
    await register(repo, event_id, ZOE, "attended")
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")

    cells: list[str] = []
    for what in ("aanmeldingen", "initiatieven", "activiteiten"):
        await feed(message_update(kees, f"/export {what} 2026"))
        sent = bot_api.take(SendDocument)
        assert isinstance(sent.document, BufferedInputFile)
        cells += [cell for row in _table(sent.document.data)[1:] for cell in row]

    assert "'" + HOSTILE in cells
    assert "'@SUM(1+1)" in cells
    assert "'+31 praat mee" in cells
    assert "'-Buurthuis" in cells
    dangerous = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    assert str(event_id) in cells  # numbers stay numbers
