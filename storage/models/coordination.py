"""Coordinator tools: the audit log of admin actions and the broadcasts (announcements)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_type

_ID = BigInteger().with_variant(Integer, "sqlite")


class BroadcastStatus(enum.StrEnum):
    DRAFT = "draft"  # composed and previewed, not confirmed yet
    SENDING = "sending"  # confirmed: its outbox rows exist and are being delivered
    DONE = "done"  # every row settled; the report went out
    CANCELLED = "cancelled"  # the coordinator cancelled the draft


class AuditEntry(Base):
    """One admin action: who (actor), what (action), on what (target), when, and details."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # No foreign key: the log outlives the people in it (erasure keeps the bare id).
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Broadcast(Base):
    """An announcement to a segment. Its state lives here, so a restart continues it."""

    __tablename__ = "broadcasts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sending', 'done', 'cancelled')", name="status"),
        Index("ix_broadcasts_status", "status"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # HTML as the coordinator wrote it (Telegram formatting kept).
    text: Mapped[str] = mapped_column(Text)
    button_text: Mapped[str | None] = mapped_column(String(64))
    button_url: Mapped[str | None] = mapped_column(String(300))
    button_event_id: Mapped[int | None] = mapped_column(BigInteger)
    # The audience spec: {"everyone": bool, "themes": [...], "events": [...], ...}.
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[BroadcastStatus] = mapped_column(
        enum_type(BroadcastStatus), default=BroadcastStatus.DRAFT
    )
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # How many rows were settled when the progress message was last edited, and when.
    progress_shown: Mapped[int] = mapped_column(Integer, default=0)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
