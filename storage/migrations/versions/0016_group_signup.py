"""group sign-up and waiting first: how many people a registration brings, the event's limit
per registration, and whether a waitlist place waits for the open offer near the start

Revision ID: 0016_group_signup
Revises: 0015_standing_wishes
Create Date: 2026-12-04

A parent, teacher or initiative signs up more than one person in one registration
(`party_size`, 1 for everyone so far). Tables and meetups take up to four per registration
unless a coordinator changes it; a training certifies one person, so stays at one.
`waits_for_offer` marks a waitlist place of someone with several recent no-shows at a popular
table: it is not promoted by itself, but shares in the seats offered close to the start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_group_signup"
down_revision: str | None = "0015_standing_wishes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs with defaults (no table rebuild), so SQLite keeps its tables as they are.
    op.add_column(
        "registrations",
        sa.Column("party_size", sa.Integer(), nullable=False, server_default="1"),
    )
    op.add_column(
        "registrations",
        sa.Column("waits_for_offer", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "events",
        sa.Column("max_party_size", sa.Integer(), nullable=False, server_default="1"),
    )
    op.execute("UPDATE events SET max_party_size = 4 WHERE kind IN ('table', 'meetup')")


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("max_party_size")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("waits_for_offer")
        batch.drop_column("party_size")
