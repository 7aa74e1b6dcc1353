"""the search state's epoch: a random mark of the database, so a saved search index is only
ever read back into a process on the database it was built from

Revision ID: 0019_search_epoch
Revises: 0018_table_mix
Create Date: 2026-12-04
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_search_epoch"
down_revision: str | None = "0018_table_mix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("search_state", sa.Column("epoch", sa.String(length=32), nullable=True))
    op.execute(
        sa.text("UPDATE search_state SET epoch = :epoch").bindparams(epoch=uuid.uuid4().hex)
    )


def downgrade() -> None:
    with op.batch_alter_table("search_state") as batch:
        batch.drop_column("epoch")
