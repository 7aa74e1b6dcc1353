"""What the search index needs to stay in step with the database in every process.

`search_state` holds one version number; `search_changes` says, per initiative, at which version
its public profile last changed (a row stays after the initiative is deleted, so other processes
learn that it is gone). Both are written by a session hook, in the same transaction as the change
itself: no code path that creates, edits, publishes, hides or deletes an initiative can forget to.

The hook runs just before commit, after the last flush, so the version row is locked only for the
moment of the commit. That keeps writers from waiting on each other longer than needed and means
version numbers become visible in the order of the commits (the row lock serialises them).

Each such commit also counts in this process (`changes_committed_here`), so the process's own
index knows without asking the database that something changed, and is told to whoever listens
(`on_commit`): with Redis, the other processes hear of it at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import BigInteger, Integer, String, event, func, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base
from storage.models.initiatives import Initiative, InitiativeStatus

_STATE_ROW = 1
_PENDING_KEY = "search_changed_initiatives"
_BUMPED_KEY = "search_version_bumped"
_BATCH = 1000
# The columns the search reads or shows in a list of results; a change to another column leaves
# the index as it is.
SEARCHED_COLUMNS = (
    "ref",
    "name",
    "description",
    "themes",
    "municipality",
    "neighbourhood",
    "keywords",
    "lat",
    "lon",
    "last_confirmed_at",
)


class SearchState(Base):
    """One row: the version of the published initiatives, bumped on every relevant change, and
    the database's epoch: a random mark made with the row, so that a saved search index is
    never taken for that of another database (a new one may reach the same version numbers)."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SearchChange(Base):
    """The version at which an initiative's public profile last changed."""

    __tablename__ = "search_changes"

    initiative_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, index=True)


def _was_or_is_published(initiative: Initiative) -> bool:
    state = inspect(initiative)
    if "status" not in state.dict:
        return True  # not loaded (never happens in practice): refreshing once too often is safe
    return InitiativeStatus.PUBLISHED in (state.dict["status"], *state.attrs.status.history.deleted)


def _matters(initiative: Initiative, *, dirty: bool) -> bool:
    if not dirty:
        return _was_or_is_published(initiative)
    attrs = inspect(initiative).attrs
    if attrs.status.history.has_changes():
        return _was_or_is_published(initiative)
    return initiative.status == InitiativeStatus.PUBLISHED and any(
        attrs[name].history.has_changes() for name in SEARCHED_COLUMNS
    )


def _pending(session: Session) -> set[int]:
    found: set[int] = session.info.setdefault(_PENDING_KEY, set())
    return found


def mark_changed(session: Session, ids: Iterable[int]) -> None:
    """For a bulk INSERT or UPDATE of published initiatives, which passes the unit of work by:
    their ids are recorded with the next commit, as the hook below does for the rest."""
    _pending(session).update(ids)


@event.listens_for(Session, "after_flush")
def _remember_changes(session: Session, _context: Any) -> None:
    """Note the initiatives whose public profile this flush changed (ids are known now)."""
    pending = _pending(session)
    for obj in session.new:
        if isinstance(obj, Initiative) and _matters(obj, dirty=False):
            pending.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Initiative) and _matters(obj, dirty=True):
            pending.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Initiative) and _matters(obj, dirty=False):
            pending.add(obj.id)


@event.listens_for(Session, "before_commit")
def _record_changes(session: Session) -> None:
    """Bump the version and mark the changed initiatives, inside the committing transaction."""
    if session.in_transaction():
        session.flush()
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    connection = session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    new_row = insert(SearchState).values(id=_STATE_ROW, version=1, epoch=uuid.uuid4().hex)
    bump = new_row.on_conflict_do_update(
        index_elements=[SearchState.id],
        set_={
            "version": SearchState.version + 1,
            "epoch": func.coalesce(SearchState.epoch, new_row.excluded.epoch),
        },
    ).returning(SearchState.version)
    version = int(connection.execute(bump).scalar_one())
    session.info[_BUMPED_KEY] = True
    ids = sorted(pending)
    for start in range(0, len(ids), _BATCH):  # databases limit the parameters of one statement
        rows = [
            {"initiative_id": ident, "version": version} for ident in ids[start : start + _BATCH]
        ]
        mark = insert(SearchChange).values(rows)
        connection.execute(
            mark.on_conflict_do_update(
                index_elements=[SearchChange.initiative_id],
                set_={"version": mark.excluded.version},
            )
        )


class _Committed:
    count = 0


# Called after each commit of this process that changed what the search shows (to tell the
# other processes; see `bot.services.change_broadcast`).
_LISTENERS: list[Callable[[], None]] = []


def changes_committed_here() -> int:
    """How many commits of this process changed what the search shows (never goes down)."""
    return _Committed.count


def on_commit(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after every commit that changed what the search shows; returns a way
    to stop."""
    _LISTENERS.append(listener)
    return lambda: _LISTENERS.remove(listener) if listener in _LISTENERS else None


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    if session.info.pop(_BUMPED_KEY, False):
        _Committed.count += 1
        for listener in list(_LISTENERS):
            listener()


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_BUMPED_KEY, None)
