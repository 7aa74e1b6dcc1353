"""Privacy: tombstones of erased people, and the map of where personal data lives.

Erasure and export walk `Base.metadata` themselves: every column with a foreign key to
`users.id` is found automatically, and so is every BigInteger column whose name says it holds a
person (`user_id`, `recipient_id`, `actor_id`, `chat_id`, `…_by`, `…_user_id`, `…_chat_id`).
A feature whose table keeps a person in another way declares it here (`PERSON_COLUMNS`) or on
the column itself: `mapped_column(BigInteger, info={"person": "null"})`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class Tombstone(Base):
    """Someone erased their data: a salted hash of their Telegram id and when. A users row
    older than its tombstone (e.g. from a restored backup) is erased again, not brought back."""

    __tablename__ = "tombstones"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OnErase(enum.StrEnum):
    """What erasing a person does to a row that points at them."""

    DELETE = "delete"  # the row is about the person only: it goes
    NULL = "null"  # the row stays without the link (e.g. a registration, kept for the figures)
    ZERO = "zero"  # as NULL, for a NOT NULL column: 0 means "nobody"


# Columns that hold a person but whose name or foreign key does not say so, or whose default
# treatment (NULL when nullable, else DELETE) is not the right one.
PERSON_COLUMNS: dict[tuple[str, str], OnErase] = {
    ("registrations", "user_id"): OnErase.NULL,  # anonymised, the figures stay
    ("outbox", "recipient_id"): OnErase.DELETE,
    ("audit_log", "actor_id"): OnErase.NULL,
    ("broadcasts", "created_by"): OnErase.ZERO,
    ("broadcasts", "progress_chat_id"): OnErase.NULL,
    ("initiatives", "hidden_by"): OnErase.NULL,
    ("initiative_join_requests", "decided_by"): OnErase.NULL,
    ("facilitation_requests", "facilitator_id"): OnErase.DELETE,
    ("debriefs", "facilitator_id"): OnErase.NULL,
}

PERSON_COLUMN_NAMES = frozenset({"user_id", "recipient_id", "actor_id", "chat_id"})
PERSON_COLUMN_SUFFIXES = ("_by", "_user_id", "_chat_id")

# Retention: rows of these tables that belong to an event lose their link to a person a
# configurable time after the event ended: (table, column pointing at the event, columns set
# to NULL). Participant lists and debriefs keep no names; the counts stay.
RETENTION_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("registrations", "event_id", ("user_id", "age_group", "neighbourhood")),
    ("debriefs", "event_id", ("facilitator_id",)),
    ("table_feedback", "event_id", ("user_id",)),
    # A certificate stays (it opens the next training), without saying at which event.
    ("certificates", "event_id", ("event_id",)),
)


# Tables that are themselves the person (users) or the record of their erasure.
_NOT_SCANNED = frozenset({"users", "tombstones"})


@dataclass(frozen=True, slots=True)
class PersonColumn:
    """A column that holds a Telegram user id, and what erasure does to its rows."""

    table: Table
    column: Column[Any]
    on_erase: OnErase


def _tables() -> Iterator[Table]:
    for table in Base.metadata.sorted_tables:
        if table.name not in _NOT_SCANNED:
            yield table


def _is_person_column(column: Column[Any]) -> OnErase | None:
    table_name = column.table.name
    declared = PERSON_COLUMNS.get((table_name, column.name)) or column.info.get("person")
    if declared is not None:
        return OnErase(declared)
    points_at_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
    named_like_a_person = isinstance(column.type, Integer) and (
        column.name in PERSON_COLUMN_NAMES or column.name.endswith(PERSON_COLUMN_SUFFIXES)
    )
    if not (points_at_users or named_like_a_person):
        return None
    if column.nullable and not column.primary_key:
        return OnErase.NULL
    return OnErase.DELETE


def person_columns() -> list[PersonColumn]:
    """Every column of every table (bar users) that holds a person, in dependency order."""
    found = []
    for table in _tables():
        for column in table.columns:
            on_erase = _is_person_column(column)
            if on_erase is not None:
                found.append(PersonColumn(table, column, on_erase))
    return found


def text_columns() -> list[Column[Any]]:
    """Every free-text or JSON column (bar primary keys) of every table but users."""
    return [
        column
        for table in _tables()
        for column in table.columns
        if isinstance(column.type, String | JSON) and not column.primary_key
    ]
