"""The `samenspel` command line (also `python -m bot`): run, console, migrate, demo-data."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot import event_loop
from bot.config import ConfigError, Settings, load_settings
from bot.lifecycle import DatabaseUnavailableError, prepare_database
from bot.log_format import formatter

logger = logging.getLogger("samenspel")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samenspel",
        description="Samenspel: the Telegram bot of the residents' initiatives of Utrecht.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser(
        "run",
        help="migrate and start the bot (console mode when BOT_TOKEN is not set)",
        description="Apply migrations and start the bot: long polling, or a webhook server when "
        "WEBHOOK_URL is set. Without BOT_TOKEN it opens console mode on demo data.",
    )
    commands.add_parser(
        "console",
        help="chat with the bot in this terminal, on demo data",
        description="Open console mode: the real bot with the terminal as chat. Type :help there.",
    )
    commands.add_parser(
        "migrate",
        help="bring the database to the newest schema",
        description="Apply all database migrations to DATABASE_URL.",
    )
    demo = commands.add_parser(
        "demo-data",
        help="load demo personas and data",
        description="Load the demo personas (and demo data) into the database.",
    )
    demo.add_argument("--if-empty", action="store_true", help="only when the database is empty")
    deliver = commands.add_parser(
        "deliver",
        help="run only the delivery worker (sends due outbox messages)",
        description="Send due outbox messages within Telegram's limits, without answering chats. "
        "On PostgreSQL several workers may run; on SQLite run only one sender in total.",
    )
    commands.add_parser(
        "privacy-check",
        help="erase again people who asked to be erased (run after restoring a backup)",
        description="Apply the retention rules now and erase every person whose data is older "
        "than their erasure (tombstone), e.g. after a database backup was restored. The daily "
        "job does the same; run this before starting the bot on a restored database.",
    )
    importer = commands.add_parser(
        "import",
        help="import or update initiatives from a JSON or CSV file (by their id)",
        description="Import the address file of initiatives (JSON, or CSV with the same columns; "
        "themes and keywords separated by ';'). Rows are matched by id: new ones are added and "
        "published, changed ones updated; running it twice changes nothing. Rejected rows are "
        "listed with their reason; the last line gives the counts.",
    )
    importer.add_argument("what", choices=["initiatives"], help="what the file holds")
    importer.add_argument("file", type=Path, help="the .json or .csv file")
    exporter = commands.add_parser(
        "export",
        help="export initiatives, events, registrations, debriefs or the audit log to CSV",
        description="Write a CSV file (UTF-8 with BOM, ';'-separated, for Dutch Excel). "
        "--from/--to limit events, registrations and debriefs by event date, the audit log "
        "by the time of the action.",
    )
    exporter.add_argument(
        "what", choices=["initiatives", "events", "registrations", "debriefs", "audit"]
    )
    exporter.add_argument(
        "--from",
        dest="first",
        type=date.fromisoformat,
        metavar="DATE",
        help="first day, e.g. 2026-01-01",
    )
    exporter.add_argument(
        "--to",
        dest="last",
        type=date.fromisoformat,
        metavar="DATE",
        help="last day (included), e.g. 2026-12-31",
    )
    exporter.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="the file to write (default samenspel-WHAT-DATE.csv)",
    )
    searcher = commands.add_parser(
        "search",
        help="search the published initiatives like the bot does",
        description="Search the published initiatives in DATABASE_URL with the bot's search. "
        "With --json each query prints one JSON line: "
        '{"query": ..., "results": [{"ref": ..., "id": ..., "name": ..., "score": ...}]}. '
        "QUERY '-' reads one query per line from standard input (one output line per query).",
    )
    searcher.add_argument("query", help="the words to search for, or - to read them from stdin")
    searcher.add_argument("--json", action="store_true", help="one JSON line per query")
    searcher.add_argument(
        "--limit", type=int, default=10, metavar="N", help="how many results (default 10)"
    )
    deliver.add_argument("--until-idle", action="store_true", help="stop when nothing is left")
    deliver.add_argument(
        "--lease",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="how long a claimed message stays claimed if this process dies (default 120)",
    )
    return parser


def _configure_logging(console_mode: bool, settings: Settings) -> None:
    level = logging.INFO
    if console_mode:
        # The terminal is the chat; the log goes to a file beside the database.
        log_dir = (settings.sqlite_path() or Path("data/samenspel.db")).parent
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_dir / "console.log")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(settings.log_format))
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)


async def _run(settings: Settings) -> None:
    if settings.token is None:
        await _console(settings)
        return
    from bot.app import close_application, create_application
    from bot.runner import run_polling, run_webhook

    await prepare_database(settings, demo_data=False)
    app = create_application(settings)
    try:
        if settings.uses_webhook:
            await run_webhook(app)
        else:
            await run_polling(app)
    finally:
        await close_application(app)


async def _console(settings: Settings) -> None:
    from bot.console import run_console

    await prepare_database(settings, demo_data=True)
    await run_console(settings)


async def _migrate(settings: Settings) -> None:
    await prepare_database(settings, demo_data=False)
    print("database is up to date")


async def _deliver(settings: Settings, until_idle: bool, lease: float) -> None:
    from bot.cli.worker import run_delivery_worker

    if settings.token is None:
        raise ConfigError("BOT_TOKEN: the delivery worker needs a token. Set it in .env.")
    await prepare_database(settings, demo_data=False)
    await run_delivery_worker(settings, until_idle=until_idle, lease_seconds=lease)


async def _import(settings: Settings, file: Path) -> None:
    from bot.cli.imports import import_initiatives_file

    await import_initiatives_file(settings, file, sys.stdout)


async def _export(settings: Settings, args: argparse.Namespace) -> None:
    from bot.cli.exports import export_to_file

    await prepare_database(settings, demo_data=False)
    await export_to_file(settings, args.what, args.first, args.last, args.output, sys.stdout)


async def _search(settings: Settings, args: argparse.Namespace) -> None:
    from bot.cli.search import run

    if args.limit < 1:
        raise ConfigError("--limit: give a number of 1 or more")
    await run(
        settings, args.query, limit=args.limit, as_json=args.json, out=sys.stdout, lines=sys.stdin
    )


async def _privacy_check(settings: Settings) -> None:
    from bot.clock import SystemClock
    from bot.services.privacy.retention import privacy_check
    from storage.engine import create_engine, create_session_pool
    from storage.repositories import Repo

    await prepare_database(settings, demo_data=False)
    engine = create_engine(settings.database_url)
    try:
        async with create_session_pool(engine)() as session:
            anonymised, erased = await privacy_check(
                Repo(session),
                now=SystemClock().now(),
                days=settings.retention_days,
                salt=settings.tombstone_salt,
            )
    finally:
        await engine.dispose()
    print(f"privacy check: anonymised={anonymised} erased_again={erased}")


async def _demo_data(settings: Settings, if_empty: bool) -> None:
    added = await prepare_database(settings, demo_data=True, only_if_empty=if_empty)
    print(f"demo data: {added} rows added")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        console_mode = args.command == "console" or (args.command == "run" and not settings.token)
        _configure_logging(console_mode, settings)
        actions: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
            "run": lambda: _run(settings),
            "console": lambda: _console(settings),
            "migrate": lambda: _migrate(settings),
            "demo-data": lambda: _demo_data(settings, args.if_empty),
            "deliver": lambda: _deliver(settings, args.until_idle, args.lease),
            "import": lambda: _import(settings, args.file),
            "export": lambda: _export(settings, args),
            "search": lambda: _search(settings, args),
            "privacy-check": lambda: _privacy_check(settings),
        }
        event_loop.run(actions[args.command](), settings.event_loop)
    except (ConfigError, DatabaseUnavailableError) as exc:
        print(f"samenspel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        logger.exception("samenspel stopped by an unexpected error")
        print(
            f"samenspel: stopped by an unexpected error ({type(exc).__name__}); see the log",
            file=sys.stderr,
        )
        return 1
    return 0
