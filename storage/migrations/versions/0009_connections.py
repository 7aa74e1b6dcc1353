"""connections: introductions, questions to peers, knowledge base, meetup proposals

Revision ID: 0009_connections
Revises: 0008_privacy
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.base

revision: str = "0009_connections"
down_revision: str | None = "0008_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = storage.base.UTCDateTime


def _user_fk(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "intro_threads",
        sa.Column("id", _ID, nullable=False),
        sa.Column("initiative_id", _ID, nullable=False),
        sa.Column("sender_id", sa.BigInteger(), nullable=False),
        sa.Column("as_initiative_id", _ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sender_shared_at", _UTC(), nullable=True),
        sa.Column("member_shared_by", sa.BigInteger(), nullable=True),
        sa.Column("member_shared_at", _UTC(), nullable=True),
        sa.Column("reported_side", sa.String(length=16), nullable=True),
        sa.Column("reported_at", _UTC(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'declined', 'closed')", name=op.f("ck_intro_threads_status")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_intro_threads_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["as_initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_intro_threads_as_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        _user_fk("sender_id", "intro_threads", "CASCADE"),
        _user_fk("member_shared_by", "intro_threads", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_threads")),
    )
    op.create_index(
        op.f("ix_intro_threads_initiative_id"), "intro_threads", ["initiative_id"], unique=False
    )
    op.create_index("ix_intro_threads_sender_created", "intro_threads", ["sender_id", "created_at"])
    op.create_table(
        "intro_messages",
        sa.Column("id", _ID, nullable=False),
        sa.Column("thread_id", _ID, nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("from_initiative", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["intro_threads.id"],
            name=op.f("fk_intro_messages_thread_id_intro_threads"),
            ondelete="CASCADE",
        ),
        _user_fk("author_id", "intro_messages", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_messages")),
    )
    op.create_index(op.f("ix_intro_messages_thread_id"), "intro_messages", ["thread_id"])
    op.create_index(op.f("ix_intro_messages_author_id"), "intro_messages", ["author_id"])
    op.create_table(
        "sender_blocks",
        sa.Column("id", _ID, nullable=False),
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("initiative_id", _ID, nullable=True),
        sa.Column("blocked_by", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", _ID, nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_sender_blocks_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["intro_threads.id"],
            name=op.f("fk_sender_blocks_thread_id_intro_threads"),
            ondelete="SET NULL",
        ),
        _user_fk("user_id", "sender_blocks", "CASCADE"),
        _user_fk("blocked_by", "sender_blocks", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sender_blocks")),
        sa.UniqueConstraint("scope", "user_id", name="uq_sender_blocks_scope_user"),
    )
    op.create_index(op.f("ix_sender_blocks_user_id"), "sender_blocks", ["user_id"])
    op.create_table(
        "sender_quotas",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _user_fk("user_id", "sender_quotas", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "day", "kind", name=op.f("pk_sender_quotas")),
    )
    op.create_table(
        "help_offers",
        sa.Column("initiative_id", _ID, nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_help_offers_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        _user_fk("created_by", "help_offers", "SET NULL"),
        sa.PrimaryKeyConstraint("initiative_id", "theme", name=op.f("pk_help_offers")),
    )
    op.create_index(op.f("ix_help_offers_theme"), "help_offers", ["theme"])
    op.create_table(
        "peer_questions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("asker_id", sa.BigInteger(), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("helpful_answer_id", sa.BigInteger(), nullable=True),
        sa.Column("asker_consent", sa.Boolean(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        _user_fk("asker_id", "peer_questions", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_questions")),
    )
    op.create_index(op.f("ix_peer_questions_asker_id"), "peer_questions", ["asker_id"])
    op.create_table(
        "peer_recipients",
        sa.Column("question_id", _ID, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("initiative_id", _ID, nullable=True),
        sa.Column("asked_at", _UTC(), nullable=False),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["peer_questions.id"],
            name=op.f("fk_peer_recipients_question_id_peer_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_peer_recipients_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        _user_fk("user_id", "peer_recipients", "CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "user_id", name=op.f("pk_peer_recipients")),
    )
    op.create_index(op.f("ix_peer_recipients_user_id"), "peer_recipients", ["user_id"])
    op.create_table(
        "peer_answers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("question_id", _ID, nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("initiative_id", _ID, nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("author_consent", sa.Boolean(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["peer_questions.id"],
            name=op.f("fk_peer_answers_question_id_peer_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_peer_answers_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        _user_fk("author_id", "peer_answers", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_answers")),
        sa.UniqueConstraint("question_id", "author_id", name=op.f("uq_peer_answers_question_id")),
    )
    op.create_index(op.f("ix_peer_answers_question_id"), "peer_answers", ["question_id"])
    op.create_table(
        "knowledge_articles",
        sa.Column("id", _ID, nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_en", sa.String(length=160), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("question_id", _ID, nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["peer_questions.id"],
            name=op.f("fk_knowledge_articles_question_id_peer_questions"),
            ondelete="SET NULL",
        ),
        _user_fk("created_by", "knowledge_articles", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_articles")),
        sa.UniqueConstraint("ref", name=op.f("uq_knowledge_articles_ref")),
        sa.UniqueConstraint("question_id", name=op.f("uq_knowledge_articles_question_id")),
    )
    op.create_table(
        "knowledge_revisions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_revisions")),
    )
    op.create_table(
        "meetup_proposals",
        sa.Column("id", _ID, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("center_id", _ID, nullable=True),
        sa.Column("municipality", sa.String(length=80), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("initiative_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_id", _ID, nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'created', 'dismissed')",
            name=op.f("ck_meetup_proposals_status"),
        ),
        sa.ForeignKeyConstraint(
            ["center_id"],
            ["initiatives.id"],
            name=op.f("fk_meetup_proposals_center_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_meetup_proposals_event_id_events"),
            ondelete="SET NULL",
        ),
        _user_fk("decided_by", "meetup_proposals", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetup_proposals")),
        sa.UniqueConstraint("month", "theme", "center_id", name="uq_meetup_proposals_month"),
    )


def downgrade() -> None:
    op.drop_table("meetup_proposals")
    op.drop_table("knowledge_revisions")
    op.drop_table("knowledge_articles")
    op.drop_index(op.f("ix_peer_answers_question_id"), table_name="peer_answers")
    op.drop_table("peer_answers")
    op.drop_index(op.f("ix_peer_recipients_user_id"), table_name="peer_recipients")
    op.drop_table("peer_recipients")
    op.drop_index(op.f("ix_peer_questions_asker_id"), table_name="peer_questions")
    op.drop_table("peer_questions")
    op.drop_index(op.f("ix_help_offers_theme"), table_name="help_offers")
    op.drop_table("help_offers")
    op.drop_table("sender_quotas")
    op.drop_index(op.f("ix_sender_blocks_user_id"), table_name="sender_blocks")
    op.drop_table("sender_blocks")
    op.drop_index(op.f("ix_intro_messages_author_id"), table_name="intro_messages")
    op.drop_index(op.f("ix_intro_messages_thread_id"), table_name="intro_messages")
    op.drop_table("intro_messages")
    op.drop_index("ix_intro_threads_sender_created", table_name="intro_threads")
    op.drop_index(op.f("ix_intro_threads_initiative_id"), table_name="intro_threads")
    op.drop_table("intro_threads")
