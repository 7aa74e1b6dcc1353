"""Helpers for the privacy tests: a person with data in many tables, and a scan of every table
and every column of the metadata for traces of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError, StatementError

from storage.base import Base
from storage.models import (
    AuditEntry,
    Certificate,
    DigestSubscription,
    InitiativeJoinRequest,
    InitiativeMember,
    OutboxMessage,
)
from storage.repositories import Repo
from tests.coordination_support import add_event, add_initiative, add_user, register

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Traces:
    user_id: int
    words: tuple[str, ...]  # names and username, looked for case-insensitively


async def find_traces(repo: Repo, traces: Traces) -> list[str]:
    """`table.column = value` for every stored value that still points at the person."""
    repo.session.expire_all()
    found = []
    id_pattern = re.compile(rf"(?<!\d){traces.user_id}(?!\d)")
    for table in Base.metadata.sorted_tables:
        rows = (await repo.session.execute(select(table))).all()
        for row in rows:
            for column, value in row._mapping.items():
                if value is None:
                    continue
                if isinstance(value, int) and not isinstance(value, bool):
                    if value == traces.user_id:
                        found.append(f"{table.name}.{column} = {value}")
                    continue
                text = str(value)
                if id_pattern.search(text) or any(
                    word.lower() in text.lower() for word in traces.words
                ):
                    found.append(f"{table.name}.{column} = {text[:80]}")
    await repo.session.commit()
    return found


async def row_counts(repo: Repo) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(
            await repo.session.scalar(select(func.count()).select_from(table)) or 0
        )
    await repo.session.commit()
    return counts


@dataclass
class World:
    """Ids of what `build_world` made."""

    alone_initiative: int
    shared_initiative: int
    other_initiative: int
    future_event: int
    past_event: int


async def build_world(repo: Repo, person_id: int, partner_id: int, waiting_id: int) -> World:
    """The person has: an initiative of their own, one shared with the partner (whose public
    Telegram contact is the person's username), a request to join the partner's initiative,
    a seat at a future table (with someone on the waitlist), an attended past table, a
    certificate, the weekly digest, a pending reminder, and audit entries about them."""
    await add_user(repo, partner_id, first_name="Bram", username="bram_b")
    await add_user(repo, waiting_id, first_name="Wim")
    alone = await add_initiative(repo, [person_id], name="Zwaantjes moestuin")
    shared = await add_initiative(
        repo, [partner_id], name="Buurtkeuken West", telegram="@zwaan_qx7"
    )
    other = await add_initiative(repo, [partner_id], name="Repair Café Lombok")
    future = await add_event(repo, capacity=1)
    past = await add_event(
        repo,
        kind="training",
        level="basis",
        starts_at=T0 - timedelta(days=20),
        status="completed",
    )
    await register(repo, future.id, person_id)
    await register(repo, future.id, waiting_id, "waitlisted", position=1)
    await register(repo, past.id, person_id, "attended")
    async with repo.write():
        repo.session.add(
            InitiativeMember(initiative_id=shared.id, user_id=person_id, role="owner", joined_at=T0)
        )
        await repo.session.flush()
        # The partner joined later, as an editor.
        member = await repo.session.get(InitiativeMember, (shared.id, partner_id))
        assert member is not None
        member.role, member.joined_at = "editor", T0 + timedelta(days=1)
        repo.session.add(
            InitiativeJoinRequest(initiative_id=other.id, user_id=person_id, created_at=T0)
        )
        repo.session.add(
            Certificate(user_id=person_id, level="basis", event_id=past.id, granted_at=T0)
        )
        repo.session.add(DigestSubscription(user_id=person_id, themes=["wonen"], updated_at=T0))
        repo.session.add(
            _outbox("reminder:person", person_id, {"event_id": future.id}),
        )
        repo.session.add(
            _outbox(
                "join:ask",
                partner_id,
                {"name": "Zwaantje Qwerty", "user_id": person_id, "initiative_id": other.id},
            )
        )
        repo.session.add(
            AuditEntry(
                at=T0,
                actor_id=777_000_001,
                action="role.set",
                target=f"user:{person_id}",
                details={"from": "resident", "to": "facilitator"},
            )
        )
        repo.session.add(
            AuditEntry(at=T0, actor_id=person_id, action="initiative.hide", target="initiative:1")
        )
    return World(alone.id, shared.id, other.id, future.id, past.id)


def _outbox(key: str, recipient_id: int, params: dict[str, Any]) -> OutboxMessage:
    return OutboxMessage(
        key=key,
        subject=key,
        recipient_id=recipient_id,
        kind="test.kind",
        params=params,
        due_at=T0 + timedelta(days=1),
        status="pending",
        created_at=T0,
        updated_at=T0,
    )


def _choices(table: Table) -> dict[str, str]:
    """The first allowed value of every `column IN ('a', …)` check of the table."""
    found = {}
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            match = re.match(r"\s*(\w+) IN \('([^']*)'", str(constraint.sqltext))
            if match:
                found[match.group(1)] = match.group(2)
    return found


async def fill_every_person_table(repo: Repo, user_id: int) -> list[str]:
    """Put a row pointing at the person into every table with a foreign key to users that
    has none yet (also tables added later); returns the tables that could not be filled."""
    failed = []
    for table in Base.metadata.sorted_tables:
        person = [
            c
            for c in table.columns
            if any(fk.column.table.name == "users" for fk in c.foreign_keys)
        ]
        if table.name == "users" or not person:
            continue
        already = await repo.session.scalar(
            select(func.count()).select_from(table).where(person[0] == user_id)
        )
        if already:
            continue
        values = await _filler_row(repo, table, user_id)
        if values is None:
            failed.append(table.name)
            continue
        try:
            async with repo.session.begin_nested():
                await repo.session.execute(insert(table).values(values))
        except DBAPIError:
            failed.append(table.name)
    await repo.session.commit()
    return failed


async def _filler_row(repo: Repo, table: Table, user_id: int) -> dict[str, Any] | None:
    choices = _choices(table)
    values: dict[str, Any] = {}
    for index, column in enumerate(table.columns):
        targets = [fk.column for fk in column.foreign_keys]
        if targets and targets[0].table.name == "users":
            values[column.name] = user_id
        elif targets:
            first = await repo.session.scalar(select(targets[0]).limit(1))
            if first is None and not column.nullable:
                return None
            values[column.name] = first
        elif column.primary_key and isinstance(column.type, Integer) and column.autoincrement:
            continue
        elif column.name in choices:
            values[column.name] = choices[column.name]
        elif isinstance(column.type, Boolean):
            values[column.name] = False
        elif isinstance(column.type, Integer | Float):
            values[column.name] = 1
        elif isinstance(column.type, JSON):
            values[column.name] = []
        elif isinstance(column.type, String):
            values[column.name] = f"x{index}"[: column.type.length or 10]
        elif isinstance(column.type, Date):
            values[column.name] = T0.date()
        else:  # a moment: later columns later (ends_at after starts_at)
            values[column.name] = T0 + timedelta(minutes=index)
    return values


async def mention_everywhere(repo: Repo, user_id: int, other: Traces, writes: str) -> int:
    """Write `writes` (which names the other person) into every free-text and JSON column of
    every row that points at `user_id`, and the other's id into every column that can hold a
    person; returns how many values were changed. Columns with a fixed set of values stay."""
    from storage.models.privacy import person_columns

    changed = 0
    for pc in person_columns():
        table = pc.table
        choices = _choices(table)
        keys = list(table.primary_key.columns)
        rows = (await repo.session.execute(select(*keys).where(pc.column == user_id))).all()
        for row in rows:
            where = [key == value for key, value in zip(keys, row, strict=True)]
            for column in table.columns:
                if column.primary_key or column.name in choices or column is pc.column:
                    continue
                value: Any
                if isinstance(column.type, JSON):
                    value = {"someone": other.user_id, "said": writes, "ids": [other.user_id]}
                elif isinstance(column.type, Enum):
                    continue
                elif isinstance(column.type, String) and not column.foreign_keys:
                    value = f"{writes}:{other.user_id}"[: column.type.length or 200]
                elif any(p.column is column for p in person_columns()):
                    value = other.user_id
                else:
                    continue
                try:
                    async with repo.session.begin_nested():
                        await repo.session.execute(
                            table.update().where(*where).values({column.name: value})
                        )
                    changed += 1
                except (DBAPIError, StatementError):
                    pass  # a unique or check constraint: that value can't be there
    await repo.session.commit()
    return changed
