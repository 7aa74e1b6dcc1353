"""Events (dialogue tables, trainings, themed meetups), registrations, certificates and the
weekly digest subscriptions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from storage.base import Base, UTCDateTime, enum_type

_ID = BigInteger().with_variant(Integer, "sqlite")


class EventKind(enum.StrEnum):
    TABLE = "table"
    TRAINING = "training"
    MEETUP = "meetup"


class TrainingLevel(enum.StrEnum):
    BASIS = "basis"
    KINDER = "kinder"
    SPANNEND = "spannend"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# Statuses that hold a seat: a seat stays taken after the event, whatever happened there.
SEAT_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)
DEFAULT_REMINDER_OFFSETS = [24 * 60, 2 * 60]  # minutes before the start


class Event(Base):
    """A table, training or meetup. Times are UTC; `version` grows when time or place change,
    so reminders scheduled for the old time can be told from the new ones."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("kind IN ('table', 'training', 'meetup')", name="kind"),
        CheckConstraint(
            "status IN ('draft', 'published', 'cancelled', 'completed')", name="status"
        ),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("ends_at > starts_at", name="times"),
        Index("ix_events_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    status: Mapped[EventStatus] = mapped_column(enum_type(EventStatus), default=EventStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str | None] = mapped_column(String(64))
    # Trainings only: the level taught, and the contribution asked, shown as text.
    level: Mapped[str | None] = mapped_column(String(16))
    contribution: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    municipality: Mapped[str] = mapped_column(String(80), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    # How many people one registration may bring (a parent with children, a school class).
    max_party_size: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The table's own neighbourhood or village (for seats reserved for people from outside it).
    neighbourhood: Mapped[str | None] = mapped_column(String(80))
    # Seats held for an age group ("u18", "65+", …) or for people from outside the table's
    # neighbourhood ("outside") until the waitlist offers begin, two days before the start.
    reserved_seats: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reserved_for: Mapped[str | None] = mapped_column(String(16))
    # None: sign-up is open until the start; cancelling is never late.
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancellation_cutoff: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_offsets: Mapped[list[int]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_REMINDER_OFFSETS)
    )
    # A themed meetup may be hosted by an initiative ("bij toerbeurt te gast").
    host_initiative_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    # Facilitation is filled in by the facilitation feature; the card shows it already.
    facilitators_needed: Mapped[int] = mapped_column(Integer, default=0)
    facilitators_confirmed: Mapped[int] = mapped_column(Integer, default=0)
    # The certificate a facilitator of this table needs; None: Basis (facilitation feature).
    facilitator_level: Mapped[str | None] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def open_until(self) -> datetime:
        return self.registration_deadline or self.starts_at


class Registration(Base):
    """One person's place at one event: confirmed, on the waitlist (with a position), cancelled,
    or after the event attended / no-show. One row per person and event, reused on re-sign-up."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),
        CheckConstraint(
            "status IN ('confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show')",
            name="status",
        ),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)", name="waitlist_position"
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # NULL once anonymised (erasure, retention): the row still counts in the figures. Typed as
    # int because every query that reads it is about a person and never sees those rows.
    user_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        index=True,
        nullable=True,
        info={"erase_with": ("age_group", "neighbourhood")},
    )
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus))
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    # The two optional answers of a sign-up, only ever counted per table: an age group
    # ("8-12" … "65+") and a neighbourhood or village ("elders": outside the municipality).
    age_group: Mapped[str | None] = mapped_column(String(8))
    neighbourhood: Mapped[str | None] = mapped_column(String(80))
    # The people this registration brings, the signer included; they sit or wait together.
    party_size: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # A waitlist place that is not promoted by itself but shares in the offers near the start
    # (someone with several recent no-shows at a popular table).
    waits_for_offer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How often this person got a seat here (sign-up or promotion); part of reminder keys, so a
    # new seat gets new reminders even within the same second.
    seat_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the current seat was given (sign-up or promotion).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reconfirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Certificate(Base):
    """A training level someone completed (granted when attendance is marked)."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "level", name="uq_certificates_user_level"),
        CheckConstraint("level IN ('basis', 'kinder', 'spannend')", name="level"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    level: Mapped[TrainingLevel] = mapped_column(enum_type(TrainingLevel))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestSubscription(Base):
    """Opt-in to the weekly digest; empty theme/municipality lists mean "everything"."""

    __tablename__ = "digest_subscriptions"

    user_id: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    municipalities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TableFeedback(Base):
    """ "Hoe was het gesprek?" after a table: 1 to 5 stars and, if they like, a sentence, which
    is only shared (the CSV) with the writer's consent. The person is kept only to answer once;
    retention and erasure remove them, the rating stays for the figures."""

    __tablename__ = "table_feedback"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_table_feedback_event_user"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), info={"person": "null"}
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StandingWish(Base):
    """A flexible waitlist: "every table in Utrecht this week", "every Spannend training in
    March". When a seat frees up at a matching event and nobody waits for it, or a matching
    event is published, the person hears it and can take the seat in one tap."""

    __tablename__ = "standing_wishes"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "municipality", "level", "starts_after", name="uq_standing_wishes"
        ),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    # "" for any (so the unique constraint holds: NULLs never equal each other).
    municipality: Mapped[str] = mapped_column(String(80), default="")
    level: Mapped[str] = mapped_column(String(16), default="")
    starts_after: Mapped[datetime] = mapped_column(UTCDateTime)
    starts_before: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
