"""Initiative profiles: the initiative itself, its members, invitations and join requests."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

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

from storage.base import Base, UTCDateTime, enum_type

_ID = BigInteger().with_variant(Integer, "sqlite")


def confirmation_day(moment: datetime | None) -> date | None:
    """The day (UTC) of a confirmation: "possibly outdated" is counted in whole days, so a list
    of results, the card and the coordinators' figures always agree."""
    return None if moment is None else moment.astimezone(UTC).date()


class InitiativeStatus(enum.StrEnum):
    DRAFT = "draft"  # being registered, or taken offline by its members: only members see it
    PUBLISHED = "published"
    HIDDEN = "hidden"  # hidden by a coordinator (moderation); members cannot publish it again


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    EDITOR = "editor"


class Initiative(Base):
    """A residents' initiative. Its public profile is everything but the bookkeeping columns."""

    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'hidden')", name="status"),
        Index("ix_initiatives_status_municipality", "status", "municipality"),
        Index("ix_initiatives_status_confirmed", "status", "last_confirmed_at"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    # The key of an imported row in the coordinators' address file; None for the bot's own.
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    municipality: Mapped[str | None] = mapped_column(String(64))
    neighbourhood: Mapped[str | None] = mapped_column(String(80))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # The pin as people read it ("Oudegracht 1, 3511AA Utrecht"), from the address lookup.
    address: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    telegram: Mapped[str | None] = mapped_column(String(40))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_type(InitiativeStatus), default=InitiativeStatus.DRAFT
    )
    # The registration step to resume at; None once the registration was finished.
    draft_step: Mapped[str | None] = mapped_column(String(24))
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "member" (a member agreed in the chat) or "import" (the coordinators' address file).
    consent_source: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who hid the profile and when (moderation), until an audit log keeps the history.
    hidden_by: Mapped[int | None] = mapped_column(BigInteger)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Moves on every change of the public profile, so a search index can refresh what changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    @property
    def is_published(self) -> bool:
        return self.status == InitiativeStatus.PUBLISHED

    @property
    def confirmed_on(self) -> date | None:
        return confirmation_day(self.last_confirmed_at)

    @property
    def is_hidden(self) -> bool:
        return self.status == InitiativeStatus.HIDDEN


class InitiativeMember(Base):
    """A person who may keep an initiative's profile up to date."""

    __tablename__ = "initiative_members"
    __table_args__ = (CheckConstraint("role IN ('owner', 'editor')", name="role"),)

    initiative_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.EDITOR)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InitiativeInvite(Base):
    """A one-time invitation link for a co-member; it works once and until `expires_at`."""

    __tablename__ = "initiative_invites"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    initiative_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InitiativeJoinRequest(Base):
    """Someone says "this initiative is mine too"; its owners (or coordinators) decide."""

    __tablename__ = "initiative_join_requests"
    __table_args__ = (UniqueConstraint("initiative_id", "user_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    accepted: Mapped[bool | None] = mapped_column(Boolean)
