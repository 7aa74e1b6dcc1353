"""People: the Telegram users who talk to the bot, with their language, role and reachability."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_type


class Role(enum.StrEnum):
    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"


class User(Base):
    """A Telegram user who has talked to the bot. The Telegram account is the login."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('resident', 'facilitator', 'coordinator')", name="role"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    last_name: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    # The language the user chose with /taal; None means "follow Telegram's language".
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.RESIDENT)
    is_reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by /stop: no announcements (broadcasts) until /start again.
    announcements_stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A coordinator set the reliability record to zero: what came before no longer counts.
    record_forgiven_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_facilitator(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.COORDINATOR)
