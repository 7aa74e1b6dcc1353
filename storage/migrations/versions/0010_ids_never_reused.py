"""ids never reused: SQLite tables with a surrogate key become AUTOINCREMENT

Revision ID: 0010_ids_never_reused
Revises: 0009_connections
Create Date: 2026-12-04

SQLite hands out the highest id again after that row was deleted, so an old `?start=i_81`
link or QR code would open someone else's initiative. AUTOINCREMENT can only be declared when
a table is created, so each table is rebuilt (the rows, indexes and constraints are copied).
PostgreSQL's sequences never go back: nothing to do there. The migration runs with SQLite's
foreign-key enforcement off (see `storage.migrate`), so rebuilding a parent table does not
cascade into its children; the keys are checked before the migration commits.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_ids_never_reused"
down_revision: str | None = "0009_connections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "audit_log",
    "broadcasts",
    "outbox",
    "facilitator_unavailability",
    "initiatives",
    "peer_questions",
    "events",
    "initiative_invites",
    "initiative_join_requests",
    "intro_threads",
    "knowledge_articles",
    "peer_answers",
    "certificates",
    "debriefs",
    "intro_messages",
    "meetup_proposals",
    "open_calls",
    "registrations",
    "sender_blocks",
    "facilitation_requests",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
