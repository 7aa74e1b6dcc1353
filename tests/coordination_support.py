"""People, events and sign-ups straight in the database for the coordinator-tool tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from storage.models import (
    Certificate,
    Event,
    Initiative,
    InitiativeMember,
    OutboxMessage,
    Registration,
    User,
)
from storage.repositories import Repo

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the FakeClock's start: Monday 10:00 in Amsterdam


async def add_user(
    repo: Repo,
    user_id: int,
    *,
    role: str = "resident",
    first_name: str = "Bewoner",
    username: str | None = None,
    language: str | None = None,
    telegram_language: str = "nl",
    reachable: bool = True,
    stopped: bool = False,
    now: datetime = T0,
) -> User:
    async with repo.write():
        user, _created = await repo.users.ensure(
            user_id,
            first_name=first_name,
            last_name=None,
            username=username,
            telegram_language=telegram_language,
            now=now,
        )
        user.role = role
        user.language = language
        user.is_reachable = reachable
        user.announcements_stopped_at = now if stopped else None
    return user


async def add_event(repo: Repo, *, now: datetime = T0, **values: Any) -> Event:
    start = values.pop("starts_at", datetime(2026, 3, 10, 18, 30, tzinfo=UTC))
    fields: dict[str, Any] = {
        "kind": "table",
        "status": "published",
        "title": "Samen aan tafel",
        "venue": "Buurthuis De Pijler",
        "address": "Oudegracht 1",
        "municipality": "Utrecht",
        "capacity": 10,
        "theme": "eenzaamheid",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "created_at": now,
        "updated_at": now,
        "published_at": now,
    }
    fields.update(values)
    async with repo.write():
        event = Event(**fields)
        repo.session.add(event)
    return event


async def register(
    repo: Repo,
    event_id: int,
    user_id: int,
    status: str = "confirmed",
    *,
    now: datetime = T0,
    position: int | None = None,
    waitlisted: bool = False,
) -> None:
    async with repo.write():
        repo.session.add(
            Registration(
                event_id=event_id,
                user_id=user_id,
                status=status,
                waitlist_position=position if status == "waitlisted" else None,
                created_at=now,
                updated_at=now,
                confirmed_at=now if status != "waitlisted" else None,
                waitlisted_at=now if (waitlisted or status == "waitlisted") else None,
            )
        )


async def add_initiative(
    repo: Repo, members: list[int], *, now: datetime = T0, **values: Any
) -> Initiative:
    fields: dict[str, Any] = {
        "name": "Repair Café Lombok",
        "description": "Samen spullen repareren.",
        "themes": ["duurzaamheid"],
        "municipality": "Utrecht",
        "status": "published",
        "created_at": now,
        "updated_at": now,
        "published_at": now,
        "last_confirmed_at": now,
    }
    fields.update(values)
    async with repo.write():
        initiative = Initiative(**fields)
        repo.session.add(initiative)
        await repo.session.flush()
        for user_id in members:
            repo.session.add(
                InitiativeMember(
                    initiative_id=initiative.id, user_id=user_id, role="owner", joined_at=now
                )
            )
    return initiative


async def certify(repo: Repo, user_id: int, level: str, *, now: datetime = T0) -> None:
    async with repo.write():
        repo.session.add(Certificate(user_id=user_id, level=level, granted_at=now))


async def outbox_of(repo: Repo, subject: str) -> list[OutboxMessage]:
    repo.session.expire_all()
    result = await repo.session.execute(
        select(OutboxMessage).where(OutboxMessage.subject == subject).order_by(OutboxMessage.id)
    )
    rows = list(result.scalars())
    await repo.session.commit()
    return rows


async def count(repo: Repo, model: Any) -> int:
    value = await repo.session.scalar(select(func.count()).select_from(model))
    await repo.session.commit()
    return int(value or 0)


async def audit_trail(repo: Repo) -> list[tuple[int | None, str, str]]:
    """(who, what, on what) of every audit entry, oldest first."""
    from storage.models import AuditEntry

    repo.session.expire_all()
    rows = (
        await repo.session.execute(
            select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.target).order_by(
                AuditEntry.id
            )
        )
    ).all()
    await repo.session.commit()
    return [(actor, action, target) for actor, action, target in rows]
