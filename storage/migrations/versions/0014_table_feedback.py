"""table feedback: "Hoe was het gesprek?" after a table

Revision ID: 0014_table_feedback
Revises: 0013_reliability_record
Create Date: 2026-12-04

One row per participant and table: 1 to 5 stars and an optional sentence, shared only with
consent. The person is removed by retention and erasure; the rating stays for the figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0014_table_feedback"
down_revision: str | None = "0013_reliability_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = storage.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "table_feedback",
        sa.Column("id", _ID, nullable=False),
        sa.Column("event_id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("comment_shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_table_feedback_rating")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_table_feedback_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_table_feedback_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_table_feedback")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_table_feedback_event_user"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_table_feedback_event_id"), "table_feedback", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_table_feedback_event_id"), table_name="table_feedback")
    op.drop_table("table_feedback")
