"""Events for tests: published through the coordinators' own use-case, times relative to the
test clock (Monday 2 March 2026, 09:00 UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.clock import FakeClock
from bot.services.events.admin import EventDraft, create_event
from storage.models import Event, User
from storage.repositories import Repo

START_DEFAULT = datetime.fromisoformat("2026-03-10T18:30:00+00:00")


def at(clock: FakeClock, days: float = 0, hours: float = 0) -> datetime:
    return clock.now() + timedelta(days=days, hours=hours)


async def make_event(repo: Repo, clock: FakeClock, **overrides: Any) -> Event:
    # Tuesday 10 March 2026, 19:30–21:30 in Amsterdam (18:30 UTC).
    start = overrides.pop("starts_at", START_DEFAULT)
    values: dict[str, Any] = {
        "kind": "table",
        "title": "Samen aan tafel",
        "starts_at": start,
        "ends_at": overrides.pop("ends_at", start + timedelta(hours=2)),
        "venue": "Buurthuis De Pijler",
        "address": "Oudegracht 1",
        "municipality": "Utrecht",
        "capacity": 10,
        "theme": "eenzaamheid",
    }
    values.update(overrides)
    return await create_event(repo, EventDraft(**values), created_by=None, now=clock.now())


async def make_people(repo: Repo, clock: FakeClock, count: int, start_id: int) -> list[int]:
    """Users who exist in the database (registrations point at them)."""
    ids = list(range(start_id, start_id + count))
    async with repo.write():
        for user_id in ids:
            await repo.users.ensure(
                user_id,
                first_name=f"Bewoner {user_id}",
                last_name=None,
                username=None,
                telegram_language="nl",
                now=clock.now(),
            )
    return ids


async def person(repo: Repo, user_id: int) -> User:
    found = await repo.users.get(user_id)
    assert found is not None
    return found


async def outbox_rows(repo: Repo, recipient_id: int) -> list[tuple[str, str, datetime]]:
    """(kind, status, due_at) of every outbox row for someone, in order of due time."""
    from sqlalchemy import select

    from storage.models import OutboxMessage

    result = await repo.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_id == recipient_id)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
    )
    rows = [(row.kind, row.status, row.due_at) for row in result.scalars()]
    await repo.session.commit()
    return rows


async def registration_of(repo: Repo, event_id: int, user_id: int) -> tuple[str, int | None, bool]:
    """(status, waitlist position, late) of someone's registration."""
    found = await repo.registrations.of(event_id, user_id)
    await repo.session.commit()
    assert found is not None
    return found.status, found.waitlist_position, found.late_cancellation
