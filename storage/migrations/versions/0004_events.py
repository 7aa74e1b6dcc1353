"""events, registrations, certificates, digest subscriptions

Revision ID: 0004_events
Revises: 0003_initiatives
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0004_events"
down_revision: str | None = "0003_initiatives"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("contribution", sa.String(length=200), nullable=True),
        sa.Column("starts_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("municipality", sa.String(length=80), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("registration_deadline", storage.base.UTCDateTime(), nullable=True),
        sa.Column("cancellation_cutoff", storage.base.UTCDateTime(), nullable=True),
        sa.Column("reminder_offsets", sa.JSON(), nullable=False),
        sa.Column("host_initiative_id", _ID, nullable=True),
        sa.Column("facilitators_needed", sa.Integer(), nullable=False),
        sa.Column("facilitators_confirmed", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("published_at", storage.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_events_capacity")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_events_times")),
        sa.CheckConstraint(
            "kind IN ('table', 'training', 'meetup')", name=op.f("ck_events_kind")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'cancelled', 'completed')",
            name=op.f("ck_events_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_events_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["host_initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_events_host_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_municipality"), "events", ["municipality"], unique=False)
    op.create_index("ix_events_status_starts", "events", ["status", "starts_at"], unique=False)

    op.create_table(
        "registrations",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("late_cancellation", sa.Boolean(), nullable=False),
        sa.Column("seat_count", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("waitlisted_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("reconfirmed_at", storage.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)",
            name=op.f("ck_registrations_waitlist_position"),
        ),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show')",
            name=op.f("ck_registrations_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_registrations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_registrations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),
    )
    op.create_index(
        "ix_registrations_event_status", "registrations", ["event_id", "status"], unique=False
    )
    op.create_index(op.f("ix_registrations_user_id"), "registrations", ["user_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("event_id", _ID, nullable=True),
        sa.Column("granted_at", storage.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "level IN ('basis', 'kinder', 'spannend')", name=op.f("ck_certificates_level")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_certificates_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_certificates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("user_id", "level", name="uq_certificates_user_level"),
    )

    op.create_table(
        "digest_subscriptions",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_digest_subscriptions")),
    )


def downgrade() -> None:
    op.drop_table("digest_subscriptions")
    op.drop_table("certificates")
    op.drop_index(op.f("ix_registrations_user_id"), table_name="registrations")
    op.drop_index("ix_registrations_event_status", table_name="registrations")
    op.drop_table("registrations")
    op.drop_index("ix_events_status_starts", table_name="events")
    op.drop_index(op.f("ix_events_municipality"), table_name="events")
    op.drop_table("events")
