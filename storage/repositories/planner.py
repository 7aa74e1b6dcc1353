"""What the database's query planner knows about the tables.

SQLite picks how to find rows from statistics that only ANALYZE gathers. Without them it
guesses, and one guess is costly here: an equality on an indexed column is taken to select a
handful of rows. A page of search results (`id IN (…) AND status = 'published'`) was then read
by walking every published initiative through an index that starts with the status, instead of
fetching five rows by their keys: about a millisecond at 10,000 initiatives and ten times that
at 100,000, on every search. With statistics the planner knows that a status says little and
goes by the keys.

PostgreSQL gathers statistics itself (autovacuum runs ANALYZE as tables change), but only a
while after they changed: a database just filled or imported into plans without them in the
meantime, and PostgreSQL made the same guess (a bitmap of every published initiative, joined
with the five keys). So both are asked.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

# Rows looked at per index: quick at any size (milliseconds at 100,000 initiatives), and close
# enough for choosing plans. The figure SQLite's own documentation suggests is 400.
ANALYSIS_LIMIT = 1000


class PlannerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def refresh_statistics(self) -> None:
        """Gather the planner's statistics of every table again (within a write block: ANALYZE
        writes them to the database). PostgreSQL samples a bounded number of rows by itself."""
        connection = await self._session.connection()
        if connection.dialect.name == "sqlite":
            await connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        await connection.exec_driver_sql("ANALYZE")
