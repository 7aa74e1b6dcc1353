"""Getting a database ready before the bot starts: reachable, migrated, demo data if asked,
and the query planner's statistics up to date."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import SystemClock
from bot.config import Settings
from bot.demo.personas import database_is_empty, load_demo_data
from bot.services.database_upkeep import refresh_planner_statistics
from storage import migrate
from storage.engine import create_engine, create_session_pool
from storage.repositories import Repo

logger = logging.getLogger(__name__)


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or used; the message says what to check."""


async def prepare_database(
    settings: Settings, *, demo_data: bool, only_if_empty: bool = True
) -> int:
    """Check the connection, apply migrations, optionally load demo data, and gather the
    planner's statistics (rows of demo data added)."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(settings.database_url)
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, ValueError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:160]
        raise DatabaseUnavailableError(
            f"DATABASE_URL: cannot connect to the database ({reason}). "
            "Check that the server runs and that the URL is right."
        ) from None
    try:
        await migrate.upgrade(engine)
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            added = 0
            if demo_data and (not only_if_empty or await database_is_empty(repo)):
                added = await load_demo_data(repo, SystemClock())
                logger.info("demo data loaded: %s rows", added)
            await refresh_planner_statistics(repo)
            return added
    finally:
        await engine.dispose()
