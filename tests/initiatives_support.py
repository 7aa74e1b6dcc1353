"""Helpers for the initiative tests: people and profiles straight in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram.types import User as TelegramUser

from storage.models import Initiative, InitiativeStatus, MemberRole
from storage.repositories import Repo


async def add_person(
    repo: Repo, person: TelegramUser, now: datetime, role: str = "resident"
) -> None:
    user, _created = await repo.users.ensure(
        person.id,
        first_name=person.first_name,
        last_name=None,
        username=person.username,
        telegram_language=person.language_code,
        now=now,
    )
    user.role = role
    await repo.session.commit()


async def add_initiative(
    repo: Repo,
    now: datetime,
    *,
    owners: tuple[int, ...] = (),
    editors: tuple[int, ...] = (),
    status: str = InitiativeStatus.PUBLISHED,
    **fields: Any,
) -> Initiative:
    values: dict[str, Any] = {
        "name": "Repair Café Lombok",
        "description": "Samen spullen repareren in plaats van weggooien.",
        "themes": ["duurzaamheid"],
        "municipality": "Utrecht",
        "neighbourhood": "West",
        "keywords": ["repareren"],
        "lat": 52.0925,
        "lon": 5.1,
    }
    values.update(fields)
    published = status == InitiativeStatus.PUBLISHED
    initiative = await repo.initiatives.add(
        Initiative(
            **values,
            status=status,
            consent_at=now if published else None,
            consent_source="member" if published else None,
            published_at=now if published else None,
            last_confirmed_at=now if published else None,
            created_at=now,
            updated_at=now,
        )
    )
    for user_id in owners:
        await repo.initiatives.add_member(initiative.id, user_id, MemberRole.OWNER, now)
    for user_id in editors:
        await repo.initiatives.add_member(initiative.id, user_id, MemberRole.EDITOR, now)
    await repo.session.commit()
    return initiative
