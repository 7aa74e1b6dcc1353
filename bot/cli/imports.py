"""`samenspel import initiatives FILE`: open the database, run the import, print the report.

Each rejected row gets a line with its reason; the last line is always
`imported=N updated=N unchanged=N rejected=N`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings
from bot.lifecycle import prepare_database
from bot.services.database_upkeep import refresh_planner_statistics
from bot.services.initiatives.importer import (
    ImportFileError,
    ImportReport,
    import_initiatives,
    read_rows,
)
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo


async def import_initiatives_file(
    settings: Settings, path: Path, out: TextIO, clock: Clock | None = None
) -> ImportReport:
    try:
        rows = read_rows(path)
    except ImportFileError as exc:
        raise ConfigError(f"FILE: {exc}") from None
    await prepare_database(settings, demo_data=False)
    engine = create_engine(settings.database_url)
    try:
        async with create_session_pool(engine)() as session:
            now = (clock or SystemClock()).now()
            report = await import_initiatives(Repo(session), rows, now=now)
            # Thousands of initiatives at once: the planner should know about them now.
            await refresh_planner_statistics(Repo(session))
    finally:
        await engine.dispose()
    for number, ref, reason in report.rejected:
        label = f"row {number} ({ref})" if ref else f"row {number}"
        out.write(f"rejected {label}: {reason}\n")
    out.write(report.summary() + "\n")
    return report
