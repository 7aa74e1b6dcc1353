"""search: the version of the published initiatives and what changed at which version

Revision ID: 0006_search
Revises: 0005_coordination
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_search"
down_revision: str | None = "0005_coordination"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_state")),
    )
    op.create_table(
        "search_changes",
        sa.Column("initiative_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("initiative_id", name=op.f("pk_search_changes")),
    )
    op.create_index(op.f("ix_search_changes_version"), "search_changes", ["version"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_search_changes_version"), table_name="search_changes")
    op.drop_table("search_changes")
    op.drop_table("search_state")
