"""Opting out of announcements (/stop) and back in (/start). Reminders about one's own
sign-ups keep coming: only broadcasts are affected."""

from __future__ import annotations

from datetime import datetime

from storage.models import User
from storage.repositories import Repo


async def stop_announcements(repo: Repo, user: User, *, now: datetime) -> bool:
    """True when the user was still receiving announcements until now."""
    async with repo.write():
        fresh = await repo.users.get(user.id)
        changed = fresh is not None and fresh.announcements_stopped_at is None
        if fresh is not None and changed:
            fresh.announcements_stopped_at = now
    return changed


async def start_again(repo: Repo, user: User, *, now: datetime) -> bool:
    """/start: the user is reachable again and gets announcements again; True when they had
    opted out before. Nothing is written (no transaction) for someone who is both already."""
    if user.is_reachable and user.announcements_stopped_at is None:
        return False
    async with repo.write():
        await repo.users.set_reachable(user.id, True, now)
        fresh = await repo.users.get(user.id)
        resumed = fresh is not None and fresh.announcements_stopped_at is not None
        if fresh is not None and resumed:
            fresh.announcements_stopped_at = None
    return resumed
