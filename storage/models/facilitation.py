"""Facilitation: the facilitators' preferences and unavailable periods, the requests to lead a
table (asked one by one or as an open call), and the debrief after a table."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_type

_ID = BigInteger().with_variant(Integer, "sqlite")


class RequestStatus(enum.StrEnum):
    PENDING = "pending"  # asked, no answer yet
    ACCEPTED = "accepted"  # said yes and holds a seat at the table
    DECLINED = "declined"  # said no
    WITHDRAWN = "withdrawn"  # said yes, later gave the seat back
    FILLED = "filled"  # the table got its facilitators from someone else first
    CANCELLED = "cancelled"  # the coordinator took the request back, or the event was called off


REQUEST_STATUSES = tuple(status.value for status in RequestStatus)


class FacilitatorProfile(Base):
    """What a facilitator likes to do: themes, municipalities and at most so many tables a month
    (None: no maximum). `last_asked_at` puts the least recently asked first in an open call."""

    __tablename__ = "facilitator_profiles"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    municipalities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    max_per_month: Mapped[int | None] = mapped_column(Integer)
    last_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Unavailability(Base):
    """A period in which a facilitator cannot lead tables: [starts_at, ends_at) in UTC."""

    __tablename__ = "facilitator_unavailability"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="times"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AvailableDay(Base):
    """A day on which a facilitator said they can lead a table (the monthly availability
    poll); the coordinators' rota is proposed from these."""

    __tablename__ = "facilitator_available_days"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_facilitator_available_days"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OpenCall(Base):
    """A call to every eligible facilitator at once; the first yes takes the seat."""

    __tablename__ = "open_calls"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    invited: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FacilitationRequest(Base):
    """One facilitator asked to lead one table. Asked again after a no: a new row."""

    __tablename__ = "facilitation_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn', 'filled', 'cancelled')",
            name="status",
        ),
        Index("ix_facilitation_requests_event_status", "event_id", "status"),
        Index("ix_facilitation_requests_facilitator_status", "facilitator_id", "status"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    facilitator_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE")
    )
    requested_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    open_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("open_calls.id", ondelete="SET NULL")
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus), default=RequestStatus.PENDING
    )
    # How the answer came: "reply", "text" (a plain message), "button"; for the figures.
    answered_via: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Debrief(Base):
    """After a table: how many people came and, in a few words, what was talked about."""

    __tablename__ = "debriefs"
    __table_args__ = (
        UniqueConstraint("event_id", "facilitator_id", name="uq_debriefs_event_facilitator"),
        CheckConstraint("participants >= 0", name="participants"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    facilitator_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    participants: Mapped[int] = mapped_column(Integer)
    topics: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
