"""When a message may go out: grace after downtime, retries after failures (the quiet hours
are in `bot.quiet_hours`)."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_ATTEMPTS = 5
MAX_RATE_LIMITED_RETRIES = 20


def retry_delay(attempts: int) -> timedelta:
    """Backoff after a failed attempt: 5 s, 20 s, 80 s, … capped at 15 minutes."""
    return timedelta(seconds=min(5 * 4 ** max(attempts - 1, 0), 900))


def too_late(due_at: datetime, now: datetime, grace: timedelta | None) -> bool:
    return grace is not None and now - due_at > grace
