"""starter knowledge: the shipped knowledge-base articles, added once

Revision ID: 0011_starter_knowledge
Revises: 0010_ids_never_reused
Create Date: 2026-12-04

Until now the starter articles only came with the demo data, so with a real token `/kennis`
found nothing. They are added here once (an article with the same `ref` is left alone), and the
knowledge revision changes so every process rebuilds its article index. Coordinators edit or
remove them afterwards; a removed article does not come back, since this runs only once.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime
from storage.starter_knowledge import article_values, starter_rows

revision: str = "0011_starter_knowledge"
down_revision: str | None = "0010_ids_never_reused"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

articles = sa.table(
    "knowledge_articles",
    sa.column("ref", sa.String),
    sa.column("title", sa.String),
    sa.column("body", sa.Text),
    sa.column("title_en", sa.String),
    sa.column("body_en", sa.Text),
    sa.column("themes", sa.JSON),
    sa.column("keywords", sa.JSON),
    sa.column("source", sa.String),
    sa.column("created_at", UTCDateTime),
    sa.column("updated_at", UTCDateTime),
)
revisions = sa.table(
    "knowledge_revisions",
    sa.column("id", sa.Integer),
    sa.column("token", sa.String),
    sa.column("updated_at", UTCDateTime),
)


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    present = set(bind.execute(sa.select(articles.c.ref)).scalars())
    new = [article_values(row, now) for row in starter_rows() if row["ref"] not in present]
    if not new:
        return
    op.bulk_insert(articles, new)
    token = uuid.uuid4().hex
    if bind.execute(sa.select(revisions.c.id).where(revisions.c.id == 1)).first() is None:
        op.bulk_insert(revisions, [{"id": 1, "token": token, "updated_at": now}])
    else:
        bind.execute(
            revisions.update().where(revisions.c.id == 1).values(token=token, updated_at=now)
        )


def downgrade() -> None:
    refs = [row["ref"] for row in starter_rows()]
    op.execute(articles.delete().where(articles.c.ref.in_(refs) & (articles.c.source == "seed")))
