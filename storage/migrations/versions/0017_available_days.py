"""availability polling: the days on which a facilitator said they can lead a table

Revision ID: 0017_available_days
Revises: 0016_group_signup
Create Date: 2026-12-04

Once a month facilitators tick the days of next month's tables that still need someone; the
coordinators' rota is proposed from these days. A day in the past means nothing any more and
is removed by the retention job.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0017_available_days"
down_revision: str | None = "0016_group_signup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "facilitator_available_days",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_facilitator_available_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator_available_days")),
        sa.UniqueConstraint("user_id", "day", name="uq_facilitator_available_days"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_facilitator_available_days_user_id"),
        "facilitator_available_days",
        ["user_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_facilitator_available_days_day"),
        "facilitator_available_days",
        ["day"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_facilitator_available_days_day"), table_name="facilitator_available_days"
    )
    op.drop_index(
        op.f("ix_facilitator_available_days_user_id"), table_name="facilitator_available_days"
    )
    op.drop_table("facilitator_available_days")
