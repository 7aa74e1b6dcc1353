"""diversity at the table: the two optional answers of a sign-up (age group, neighbourhood or
village), the table's own neighbourhood, and seats reserved for an age group or for people from
outside that neighbourhood

Revision ID: 0018_table_mix
Revises: 0017_available_days
Create Date: 2026-12-04

The answers live on the registration only: coordinators see counts per table, never a person's
answer; erasure and retention clear them with the link to the person.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_table_mix"
down_revision: str | None = "0017_available_days"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild), so SQLite keeps its tables as they are.
    op.add_column("registrations", sa.Column("age_group", sa.String(length=8), nullable=True))
    op.add_column(
        "registrations", sa.Column("neighbourhood", sa.String(length=80), nullable=True)
    )
    op.add_column("events", sa.Column("neighbourhood", sa.String(length=80), nullable=True))
    op.add_column(
        "events",
        sa.Column("reserved_seats", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("events", sa.Column("reserved_for", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("reserved_for")
        batch.drop_column("reserved_seats")
        batch.drop_column("neighbourhood")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("neighbourhood")
        batch.drop_column("age_group")
