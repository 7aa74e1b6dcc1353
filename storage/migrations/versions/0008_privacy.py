"""privacy: tombstones of erased people; registrations can be anonymised

Revision ID: 0008_privacy
Revises: 0007_facilitation
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0008_privacy"
down_revision: str | None = "0007_facilitation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("erased_at", storage.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_tombstones")),
    )
    with op.batch_alter_table("registrations") as batch:
        batch.alter_column("user_id", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    # Anonymised registrations have no person any more; they cannot go back to NOT NULL.
    op.execute("DELETE FROM registrations WHERE user_id IS NULL")
    with op.batch_alter_table("registrations") as batch:
        batch.alter_column("user_id", existing_type=sa.BigInteger(), nullable=False)
    op.drop_table("tombstones")
