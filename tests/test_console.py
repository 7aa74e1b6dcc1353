"""Console mode: lines in, readable chat out, buttons by number, personas, replies, locations."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.console import run_console
from bot.lifecycle import prepare_database

ROOT = Path(__file__).resolve().parent.parent


async def _chat(tmp_path: Path, lines: str) -> str:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")  # type: ignore[call-arg]
    await prepare_database(settings, demo_data=True)
    out = io.StringIO()
    await run_console(settings, stdin=io.StringIO(lines), out=out)
    # The map runs on a free port of this machine: its address shows as "PORT".
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", out.getvalue())


async def test_start_prints_the_dutch_welcome_with_numbered_buttons(tmp_path: Path) -> None:
    output = await _chat(tmp_path, "/start\n:quit\n")
    assert output == (
        "Hoi Anna! 👋 Welkom bij Samenspel.\n\n"
        "Hier vind je initiatieven van bewoners in de provincie Utrecht. Je kunt je aanmelden "
        "voor dialoogtafels en trainingen, en met elkaar in contact komen.\n\n"
        "Kies hieronder wat je wilt doen, of typ gewoon wat je zoekt. Je kunt ook /help typen.\n"
        "[1] 🔎 Zoeken  [2] 📅 Agenda\n"
        "[3] 🗓 Mijn agenda  [4] ➕ Nieuw initiatief\n"
        "[5] 🏠 Mijn initiatieven  [6] 🙋 Vraag andere initiatieven\n"
        "[7] 📚 Kennisbank  [8] ❓ Hulp\n"
        "[9] 🌐 Taal  [10] 🗺 Kaart (http://127.0.0.1:PORT/webapp/?lang=nl)\n\n"
    )


async def test_typing_a_number_presses_that_button(tmp_path: Path) -> None:
    output = await _chat(tmp_path, "/start\n9\n2\n/menu\n:quit\n")
    assert (
        "Welke taal wil je? / Which language do you want?\n[1] ✓ 🇳🇱 Nederlands  [2] 🇬🇧 English"
        in output
    )
    assert "  · Language changed." in output
    english_menu = (
        "[1] 🔎 Search  [2] 📅 Agenda\n"
        "[3] 🗓 My agenda  [4] ➕ New initiative\n"
        "[5] 🏠 My initiatives  [6] 🙋 Ask initiatives\n"
        "[7] 📚 Knowledge base  [8] ❓ Help\n"
        "[9] 🌐 Language  [10] 🗺 Map (http://127.0.0.1:PORT/webapp/?lang=en)"
    )
    assert f"From now on I'll speak English with you.\n{english_menu}" in output
    assert output.rstrip().endswith(f"What do you want to do?\n{english_menu}")


async def test_personas_reply_and_location(tmp_path: Path) -> None:
    output = await _chat(
        tmp_path,
        ":as emma\n/start\n:reply thanks\n:location 52.09 5.12\n:as nobody\n8\n:quit\n",
    )
    assert "» you are now Emma (resident)" in output
    assert "Hi Emma! 👋 Welcome to Samenspel." in output
    assert "👍 Type what you are looking for, or choose from the menu:" in output
    assert "📍 Near you (9)\n\n1. Repair Café Lombok — " in output
    assert "» unknown persona; choose from anna, fatima, kees, emma" in output
    assert "» choose a button from 1 to 7" in output


async def test_end_of_input_ends_the_chat(tmp_path: Path) -> None:
    output = await _chat(tmp_path, "/menu\n")
    assert output == (
        "Wat wil je doen?\n"
        "[1] 🔎 Zoeken  [2] 📅 Agenda\n"
        "[3] 🗓 Mijn agenda  [4] ➕ Nieuw initiatief\n"
        "[5] 🏠 Mijn initiatieven  [6] 🙋 Vraag andere initiatieven\n"
        "[7] 📚 Kennisbank  [8] ❓ Hulp\n"
        "[9] 🌐 Taal  [10] 🗺 Kaart (http://127.0.0.1:PORT/webapp/?lang=nl)\n\n"
    )


def test_piped_console_run_prints_the_welcome_and_exits_cleanly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/start\n:quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Hoi Anna! 👋 Welkom bij Samenspel.")
    assert "[7] 📚 Kennisbank  [8] ❓ Hulp\n[9] 🌐 Taal" in result.stdout
    assert result.stderr == ""


async def test_moving_the_clock_shows_messages_that_came_due(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.services import outbox
    from storage.engine import create_engine, create_session_pool
    from storage.repositories import Repo

    url = f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    await prepare_database(settings, demo_data=True)
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with create_session_pool(engine)() as session:
        repo = Repo(session)
        async with repo.write():
            await outbox.schedule(
                repo,
                key="console:1",
                recipient_id=900_002,
                kind="announcement",
                params={"text": "De <b>training</b> begint morgen."},
                due_at=now + timedelta(hours=20),
                now=now,
                urgent=True,
            )
    await engine.dispose()

    out = io.StringIO()
    await run_console(settings, stdin=io.StringIO(":clock +1d\n:quit\n"), out=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("» the clock now says ")
    assert lines[1].startswith("» jobs that came due: ")
    # The demo's request to Fatima (due since the demo was loaded) and this announcement both
    # show; which of the messages to different people comes first depends on the time of day
    # (quiet hours hold the coordinators' alerts back at night).
    request = lines.index("🧑‍🏫 Verzoek om een tafel te begeleiden")
    assert lines[request - 1] == "[to Fatima]"
    announcement = lines.index("De training begint morgen.")
    assert lines[announcement - 1] == "[to Fatima]"
    assert "Kun je deze tafel begeleiden? Antwoord met ja of nee op dit bericht." in lines


async def test_moving_the_clock_runs_the_daily_jobs_that_came_due(tmp_path: Path) -> None:
    """A newcomer sees a week of the bot in a minute: freshness questions, the weekly
    overview, retention and proposals run as the clock passes their time."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select, update

    from bot.demo.initiatives import FATIMA_ID, FATIMAS_INITIATIVE
    from storage.engine import create_engine, create_session_pool
    from storage.models import Initiative, OutboxMessage
    from storage.repositories import Repo

    url = f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    await prepare_database(settings, demo_data=True)
    engine = create_engine(url)
    async with create_session_pool(engine)() as session:
        repo = Repo(session)
        async with repo.write():
            await session.execute(
                update(Initiative)
                .where(Initiative.ref == FATIMAS_INITIATIVE)
                .values(last_confirmed_at=datetime.now(UTC) - timedelta(days=200))
            )
    await engine.dispose()

    out = io.StringIO()
    await run_console(settings, stdin=io.StringIO(":clock +8d\n:quit\n"), out=out)

    text = out.getvalue()
    ran = next(line for line in text.splitlines() if line.startswith("» jobs that came due: "))
    jobs = set(ran.split(": ")[1].split(", "))
    assert {"initiative_freshness", "privacy_retention", "weekly_digest"} <= jobs
    # The question waits for quiet hours to end, so look at what was queued for Fatima.
    engine = create_engine(url)
    async with create_session_pool(engine)() as session:
        kinds = (
            await session.execute(
                select(OutboxMessage.kind).where(OutboxMessage.recipient_id == FATIMA_ID)
            )
        ).scalars()
        assert "initiative.freshness" in set(kinds)
    await engine.dispose()


async def test_a_number_answers_a_question_without_buttons_and_press_always_presses(
    tmp_path: Path,
) -> None:
    kees = (
        ":as kees\n/nieuwetafel\nGesprek over buren\n28-03-2027 10:00-12:00\n"
        "Buurthuis De Pijler, Utrecht\n12\n"
    )
    output = await _chat(tmp_path, kees + ":quit\n")
    answered = output.split("Hoeveel plekken zijn er? Typ een getal.\n", 1)[1]
    assert answered.lstrip().startswith("Welk thema?")  # 12 was the answer, not a button
    assert "choose a button" not in answered
    # A piped script of many lines, faster than any person types: nothing is dropped.
    lines = "".join(f":say hallo {n}\n" for n in range(30))
    output = await _chat(tmp_path / "piped", f"/start\n{lines}:press 9\n:quit\n")
    assert output.count("Hoi Anna! 👋") >= 1
    assert "Dat ging heel snel" not in output  # nothing was skipped
    assert "Welke taal wil je?" in output  # :press 9 pressed 🌐 Taal of the last menu


async def test_the_map_button_shows_where_the_map_runs(tmp_path: Path) -> None:
    output = await _chat(tmp_path, "/menu\n:press 10\n:quit\n")
    assert "» that button opens http://127.0.0.1:PORT/webapp/?lang=nl" in output
