"""When a message may go out: quiet hours, grace after downtime, retries after failures."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_START = time(22, 0)
QUIET_END = time(8, 0)
MAX_ATTEMPTS = 5
MAX_RATE_LIMITED_RETRIES = 20


def quiet_hours_end(now: datetime, tz: ZoneInfo) -> datetime | None:
    """08:00 local time when `now` falls in the quiet hours (22:00–08:00), else None."""
    local = now.astimezone(tz)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=tz).astimezone(now.tzinfo)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after a failed attempt: 5 s, 20 s, 80 s, … capped at 15 minutes."""
    return timedelta(seconds=min(5 * 4 ** max(attempts - 1, 0), 900))


def too_late(due_at: datetime, now: datetime, grace: timedelta | None) -> bool:
    return grace is not None and now - due_at > grace
