"""initiatives: profiles, members, invitations, join requests

Revision ID: 0003_initiatives
Revises: 0002_outbox
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0003_initiatives"
down_revision: str | None = "0002_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", _ID, nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("municipality", sa.String(length=64), nullable=True),
        sa.Column("neighbourhood", sa.String(length=80), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("telegram", sa.String(length=40), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("draft_step", sa.String(length=24), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("consent_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("consent_source", sa.String(length=16), nullable=True),
        sa.Column("published_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("last_confirmed_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("hidden_by", sa.BigInteger(), nullable=True),
        sa.Column("hidden_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'hidden')", name=op.f("ck_initiatives_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_initiatives_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
        sa.UniqueConstraint("ref", name=op.f("uq_initiatives_ref")),
    )
    op.create_index(op.f("ix_initiatives_created_by"), "initiatives", ["created_by"])
    op.create_index(
        "ix_initiatives_status_confirmed", "initiatives", ["status", "last_confirmed_at"]
    )
    op.create_index(
        "ix_initiatives_status_municipality", "initiatives", ["status", "municipality"]
    )
    op.create_index(op.f("ix_initiatives_updated_at"), "initiatives", ["updated_at"])

    op.create_table(
        "initiative_members",
        sa.Column("initiative_id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", storage.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("role IN ('owner', 'editor')", name=op.f("ck_initiative_members_role")),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_members_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_initiative_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "user_id", name=op.f("pk_initiative_members")),
    )
    op.create_index(op.f("ix_initiative_members_user_id"), "initiative_members", ["user_id"])

    op.create_table(
        "initiative_invites",
        sa.Column("id", _ID, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("initiative_id", _ID, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("used_by", sa.BigInteger(), nullable=True),
        sa.Column("used_at", storage.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_initiative_invites_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_invites_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"],
            ["users.id"],
            name=op.f("fk_initiative_invites_used_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_invites")),
        sa.UniqueConstraint("token", name=op.f("uq_initiative_invites_token")),
    )
    op.create_index(
        op.f("ix_initiative_invites_initiative_id"), "initiative_invites", ["initiative_id"]
    )

    op.create_table(
        "initiative_join_requests",
        sa.Column("id", _ID, nullable=False),
        sa.Column("initiative_id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.Column("decided_at", storage.base.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_join_requests_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_initiative_join_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_join_requests")),
        sa.UniqueConstraint(
            "initiative_id", "user_id", name=op.f("uq_initiative_join_requests_initiative_id")
        ),
    )
    op.create_index(
        op.f("ix_initiative_join_requests_initiative_id"),
        "initiative_join_requests",
        ["initiative_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_initiative_join_requests_initiative_id"), table_name="initiative_join_requests"
    )
    op.drop_table("initiative_join_requests")
    op.drop_index(op.f("ix_initiative_invites_initiative_id"), table_name="initiative_invites")
    op.drop_table("initiative_invites")
    op.drop_index(op.f("ix_initiative_members_user_id"), table_name="initiative_members")
    op.drop_table("initiative_members")
    op.drop_index(op.f("ix_initiatives_updated_at"), table_name="initiatives")
    op.drop_index("ix_initiatives_status_municipality", table_name="initiatives")
    op.drop_index("ix_initiatives_status_confirmed", table_name="initiatives")
    op.drop_index(op.f("ix_initiatives_created_by"), table_name="initiatives")
    op.drop_table("initiatives")
