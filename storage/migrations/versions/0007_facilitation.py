"""facilitation: profiles, unavailability, open calls, requests, debriefs; events.facilitator_level

Revision ID: 0007_facilitation
Revises: 0006_search
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0007_facilitation"
down_revision: str | None = "0006_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("facilitator_level", sa.String(length=16), nullable=True))
    op.create_table(
        "facilitator_profiles",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("municipalities", sa.JSON(), nullable=False),
        sa.Column("max_per_month", sa.Integer(), nullable=True),
        sa.Column("last_asked_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_facilitator_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_facilitator_profiles")),
    )
    op.create_table(
        "facilitator_unavailability",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("starts_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_facilitator_unavailability_times")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_facilitator_unavailability_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator_unavailability")),
    )
    op.create_index(
        op.f("ix_facilitator_unavailability_user_id"),
        "facilitator_unavailability",
        ["user_id"],
        unique=False,
    )
    op.create_table(
        "open_calls",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("closed_at", storage.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_open_calls_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_open_calls_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_calls")),
    )
    op.create_index(op.f("ix_open_calls_event_id"), "open_calls", ["event_id"], unique=False)
    op.create_table(
        "facilitation_requests",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("facilitator_id", sa.BigInteger(), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("open_call_id", _ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_via", sa.String(length=16), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("answered_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_at", storage.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn', 'filled', 'cancelled')",
            name=op.f("ck_facilitation_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_facilitation_requests_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["users.id"],
            name=op.f("fk_facilitation_requests_facilitator_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["open_call_id"],
            ["open_calls.id"],
            name=op.f("fk_facilitation_requests_open_call_id_open_calls"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_facilitation_requests_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitation_requests")),
    )
    op.create_index(
        "ix_facilitation_requests_event_status",
        "facilitation_requests",
        ["event_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_facilitation_requests_facilitator_status",
        "facilitation_requests",
        ["facilitator_id", "status"],
        unique=False,
    )
    op.create_table(
        "debriefs",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("facilitator_id", sa.BigInteger(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("submitted_at", storage.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("participants >= 0", name=op.f("ck_debriefs_participants")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_debriefs_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["users.id"],
            name=op.f("fk_debriefs_facilitator_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debriefs")),
        sa.UniqueConstraint("event_id", "facilitator_id", name="uq_debriefs_event_facilitator"),
    )


def downgrade() -> None:
    op.drop_table("debriefs")
    op.drop_index("ix_facilitation_requests_facilitator_status", table_name="facilitation_requests")
    op.drop_index("ix_facilitation_requests_event_status", table_name="facilitation_requests")
    op.drop_table("facilitation_requests")
    op.drop_index(op.f("ix_open_calls_event_id"), table_name="open_calls")
    op.drop_table("open_calls")
    op.drop_index(
        op.f("ix_facilitator_unavailability_user_id"), table_name="facilitator_unavailability"
    )
    op.drop_table("facilitator_unavailability")
    op.drop_table("facilitator_profiles")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("facilitator_level")
