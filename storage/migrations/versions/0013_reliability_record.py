"""reliability record: when a coordinator last forgave someone's late cancellations and no-shows

Revision ID: 0013_reliability_record
Revises: 0012_initiative_address
Create Date: 2026-12-04

The record itself is counted from the registrations of the last 12 months; only the moment it
was last set to zero is kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0013_reliability_record"
down_revision: str | None = "0012_initiative_address"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild), so SQLite keeps the table as it is.
    op.add_column(
        "users", sa.Column("record_forgiven_at", storage.base.UTCDateTime(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("record_forgiven_at")
