"""standing wishes: a flexible waitlist across events

Revision ID: 0015_standing_wishes
Revises: 0014_table_feedback
Create Date: 2026-12-04

"Every table in Utrecht this week", "every Spannend training in March": a person hears when a
seat at a matching event frees up with nobody waiting, or when a matching event is published.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0015_standing_wishes"
down_revision: str | None = "0014_table_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = storage.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "standing_wishes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("municipality", sa.String(length=80), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("starts_after", _UTC(), nullable=False),
        sa.Column("starts_before", _UTC(), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_standing_wishes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_wishes")),
        sa.UniqueConstraint(
            "user_id", "kind", "municipality", "level", "starts_after", name="uq_standing_wishes"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_standing_wishes_user_id"), "standing_wishes", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_standing_wishes_user_id"), table_name="standing_wishes")
    op.drop_table("standing_wishes")
