"""Declarative base, naming convention and portable column types shared by all models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, Table
from sqlalchemy import Enum as SQLEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations look the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite forgets the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_type(enum_class: type[enum.StrEnum], length: int = 16) -> SQLEnum:
    """A portable enum column: a plain VARCHAR holding the member's value ("published"), read
    back as the member. No native database enum and no CHECK, so adding a member needs no
    migration; the Python enum is the one list of what a column may hold."""
    return SQLEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def surrogate_key_tables(metadata: MetaData) -> list[Table]:
    """Tables whose key is one number the database hands out (an initiative's, an event's …)."""
    found = []
    for table in metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if (
            len(keys) == 1
            and isinstance(keys[0].type, Integer)
            and keys[0].autoincrement in (True, "auto")
            and not keys[0].foreign_keys
        ):
            found.append(table)
    return found


def never_reuse_ids(metadata: MetaData) -> None:
    """Ids live on in links, QR codes and buttons (`?start=i_81`), so a deleted row's id must
    never be handed out again. PostgreSQL's sequences never go back; SQLite reuses the highest
    id after a delete unless the table is declared AUTOINCREMENT, which this does for every
    table with a surrogate key (migration 0010 rebuilds older SQLite databases the same way)."""
    for table in surrogate_key_tables(metadata):
        table.dialect_options["sqlite"]["autoincrement"] = True
