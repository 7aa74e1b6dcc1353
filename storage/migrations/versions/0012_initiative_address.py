"""initiative address: the pin as people read it

Revision ID: 0012_initiative_address
Revises: 0011_starter_knowledge
Create Date: 2026-12-04

A typed address or postcode is looked up (PDOK Locatieserver) and the pin is shown back as
that address instead of two numbers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_initiative_address"
down_revision: str | None = "0011_starter_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild), so SQLite keeps the table's AUTOINCREMENT.
    op.add_column("initiatives", sa.Column("address", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("initiatives") as batch:
        batch.drop_column("address")
