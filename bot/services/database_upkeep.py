"""Keeping the database quick as it grows: the query planner's statistics, gathered again at
every start and once a day (see `storage.repositories.planner`)."""

from __future__ import annotations

from storage.repositories import Repo


async def refresh_planner_statistics(repo: Repo) -> None:
    async with repo.write():
        await repo.planner.refresh_statistics()
