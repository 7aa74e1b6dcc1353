"""Connecting initiatives: introductions relayed with consent (threads, messages, blocks,
reports, daily quotas), questions to peers (help offers, questions, recipients, answers), the
knowledge base and the themed-meetup proposals."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
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


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CREATED = "created"
    DISMISSED = "dismissed"


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    DECLINED = "declined"  # the initiative said no, politely
    CLOSED = "closed"  # reported or blocked: nothing is relayed any more


class IntroThread(Base):
    """A conversation between one person and an initiative's members, relayed by the bot.
    Neither side sees who the other is until that side shares its contact."""

    __tablename__ = "intro_threads"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'declined', 'closed')", name="status"),
        Index("ix_intro_threads_sender_created", "sender_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    # The sender writes on behalf of their own initiative (its name is shown), or as themselves.
    as_initiative_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    status: Mapped[ThreadStatus] = mapped_column(enum_type(ThreadStatus), default=ThreadStatus.OPEN)
    sender_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The member who shared their contact on behalf of the initiative, and when.
    member_shared_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    member_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "sender" or "initiative": the side that reported the thread to the coordinators.
    reported_side: Mapped[str | None] = mapped_column(String(16))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IntroMessage(Base):
    """One relayed message of a thread."""

    __tablename__ = "intro_messages"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("intro_threads.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    from_initiative: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SenderBlock(Base):
    """Someone who may not write any more: to one initiative (`scope` "i<id>", set by its
    members) or to anyone (`scope` "all", set by a coordinator after a report)."""

    __tablename__ = "sender_blocks"
    __table_args__ = (UniqueConstraint("scope", "user_id", name="uq_sender_blocks_scope_user"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    scope: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    blocked_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    thread_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("intro_threads.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SenderQuota(Base):
    """How many introductions, relayed messages or questions one person sent on one local
    day; the limit holds in an atomic conditional UPDATE."""

    __tablename__ = "sender_quotas"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class HelpOffer(Base):
    """An initiative is willing to answer questions from others on a theme."""

    __tablename__ = "help_offers"

    initiative_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PeerQuestion(Base):
    """A question on a theme, sent to a few members of initiatives that offered help."""

    __tablename__ = "peer_questions"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    asker_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    helpful_answer_id: Mapped[int | None] = mapped_column(BigInteger)
    # The asker agrees that the question and the helpful answer join the knowledge base.
    asker_consent: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PeerRecipient(Base):
    """Who got a question; the newest `asked_at` per person decides who is asked next."""

    __tablename__ = "peer_recipients"

    question_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("peer_questions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    initiative_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    declined: Mapped[bool] = mapped_column(Boolean, default=False)


class PeerAnswer(Base):
    """An answer to a peer question, relayed to the asker under the initiative's name."""

    __tablename__ = "peer_answers"
    __table_args__ = (UniqueConstraint("question_id", "author_id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        _ID, ForeignKey("peer_questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    initiative_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool] = mapped_column(Boolean, default=False)
    # The author agrees that this answer joins the knowledge base (without names).
    author_consent: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KnowledgeArticle(Base):
    """A short article of the knowledge base: by coordinators, or an answered peer question.
    Dutch first; `title_en`/`body_en` hold an English version where there is one."""

    __tablename__ = "knowledge_articles"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(String(160))
    body_en: Mapped[str | None] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "coordinator", "peer" (an answered question) or "seed" (shipped with the bot).
    source: Mapped[str] = mapped_column(String(16), default="coordinator")
    question_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("peer_questions.id", ondelete="SET NULL"), unique=True
    )
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KnowledgeRevision(Base):
    """One row whose token changes with every change to the articles, so each process knows
    when to rebuild its search index over them."""

    __tablename__ = "knowledge_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MeetupProposal(Base):
    """A themed meetup the monthly job proposes to the coordinators for a cluster of nearby
    initiatives that share a theme; once per theme, centre and month."""

    __tablename__ = "meetup_proposals"
    __table_args__ = (
        UniqueConstraint("month", "theme", "center_id", name="uq_meetup_proposals_month"),
        CheckConstraint("status IN ('proposed', 'created', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    theme: Mapped[str] = mapped_column(String(40))
    center_id: Mapped[int | None] = mapped_column(
        _ID, ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    municipality: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    initiative_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_type(ProposalStatus), default=ProposalStatus.PROPOSED
    )
    event_id: Mapped[int | None] = mapped_column(_ID, ForeignKey("events.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
