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


async def start_again(repo: Repo, user_id: int, *, now: datetime) -> bool:
    """/start: the user is reachable again and gets announcements again; True when they had
    opted out before."""
    async with repo.write():
        await repo.users.set_reachable(user_id, True, now)
        user = await repo.users.get(user_id)
        resumed = user is not None and user.announcements_stopped_at is not None
        if user is not None and resumed:
            user.announcements_stopped_at = None
    return resumed
