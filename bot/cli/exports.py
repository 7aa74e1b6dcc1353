"""`samenspel export KIND`: the coordinators' CSV export, written to a file from the command
line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TextIO

from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import create_i18n, speaking
from bot.services.coordination.exports import export, filename
from bot.services.coordination.stats import span
from bot.views.exports import language_for
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo


async def export_to_file(
    settings: Settings,
    kind: str,
    first: date | None,
    last: date | None,
    target: Path | None,
    out: TextIO,
) -> Path:
    """`samenspel export KIND [--from DATE] [--to DATE] [-o FILE]`: write the CSV file."""
    tz = settings.tz
    period = None
    if first or last:
        begin = first or date(2000, 1, 1)
        after = date.fromordinal((last or date(9998, 12, 31)).toordinal() + 1)
        period = span(begin, after, tz)
    locale = settings.default_locale
    with speaking(create_i18n(locale), locale):  # the file speaks the default language
        language = language_for(kind, locale)
    engine = create_engine(settings.database_url)
    try:
        async with create_session_pool(engine)() as session:
            data, count = await export(
                Repo(session),
                kind,
                period,
                actor_id=None,
                via="command line",
                now=SystemClock().now(),
                tz=tz,
                language=language,
            )
    finally:
        await engine.dispose()
    path = target or Path(filename(kind, SystemClock().now(), tz))
    path.write_bytes(data)
    out.write(f"{kind}: {count} rows written to {path}\n")
    return path
