"""The data-access holder: one object per unit of work that hands out the repositories."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from storage import write_lock
from storage.engine import (
    allow_one_write,
    end_one_write,
    one_write_without_transaction,
    read_without_transaction,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.broadcasts import BroadcastRepository
from storage.repositories.connections import ConnectionRepository
from storage.repositories.events import EventRepository
from storage.repositories.exports import ExportRepository
from storage.repositories.facilitation import FacilitationRepository
from storage.repositories.facilitators import FacilitatorRepository
from storage.repositories.feedback import FeedbackRepository
from storage.repositories.initiatives import InitiativeRepository
from storage.repositories.knowledge import KnowledgeRepository
from storage.repositories.map import MapRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.outbox_claims import OutboxClaimRepository
from storage.repositories.planner import PlannerRepository
from storage.repositories.privacy import PrivacyRepository
from storage.repositories.registrations import RegistrationRepository
from storage.repositories.roles import RoleRepository
from storage.repositories.search import SearchRepository
from storage.repositories.stats import StatsRepository
from storage.repositories.users import UserRepository
from storage.repositories.wishes import WishRepository

logger = logging.getLogger(__name__)

# How deeply `read`/`write` blocks are nested in a session: only the outermost read ends.
_BLOCK_DEPTH = "samenspel_block_depth"


class Repo:
    """All repositories over one session. Services commit through it, exactly once per use-case."""

    def __init__(
        self,
        session: AsyncSession | None = None,
        *,
        opens: Callable[[], AsyncSession] | None = None,
    ) -> None:
        """Over `session`, or over a session taken from `opens` when one of the repositories is
        first used (see `opened_when_used`, which also closes it)."""
        if (session is None) == (opens is None):
            raise TypeError("a Repo is made over a session or with a pool to open one from")
        self._session = session
        self._opens = opens
        # The others in this process writing to the busy row named for the write block now
        # open, as it began; None when there were none (see `write`).
        self.crowd: write_lock.RowTurns | None = None

    @classmethod
    @asynccontextmanager
    async def opened_when_used(cls, pool: Callable[[], AsyncSession]) -> AsyncIterator[Repo]:
        """Repositories whose session is taken from `pool` only when one of them is first used,
        and closed when the block ends: an update that asks the database nothing (a menu, a
        question answered from memory) makes and closes no session."""
        repo = cls(opens=pool)
        try:
            yield repo
        finally:
            session = repo._session
            if session is not None:
                await _close(session)

    @property
    def opened_session(self) -> AsyncSession | None:
        """The session, once it is open (see `opened_when_used`)."""
        return self._session

    @property
    def session(self) -> AsyncSession:
        session = self._session
        if session is None:
            assert self._opens is not None  # see __init__
            session = self._session = self._opens()
        return session

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    @cached_property
    def initiatives(self) -> InitiativeRepository:
        return InitiativeRepository(self.session)

    @cached_property
    def events(self) -> EventRepository:
        return EventRepository(self.session)

    @cached_property
    def wishes(self) -> WishRepository:
        return WishRepository(self.session)

    @cached_property
    def feedback(self) -> FeedbackRepository:
        return FeedbackRepository(self.session)

    @cached_property
    def map(self) -> MapRepository:
        return MapRepository(self.session)

    @cached_property
    def registrations(self) -> RegistrationRepository:
        return RegistrationRepository(self.session)

    @cached_property
    def outbox_claims(self) -> OutboxClaimRepository:
        return OutboxClaimRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session)

    @cached_property
    def broadcasts(self) -> BroadcastRepository:
        return BroadcastRepository(self.session)

    @cached_property
    def roles(self) -> RoleRepository:
        return RoleRepository(self.session)

    @cached_property
    def stats(self) -> StatsRepository:
        return StatsRepository(self.session)

    @cached_property
    def exports(self) -> ExportRepository:
        return ExportRepository(self.session)

    @cached_property
    def search(self) -> SearchRepository:
        return SearchRepository(self.session)

    @cached_property
    def connections(self) -> ConnectionRepository:
        return ConnectionRepository(self.session)

    @cached_property
    def knowledge(self) -> KnowledgeRepository:
        return KnowledgeRepository(self.session)

    @cached_property
    def facilitation(self) -> FacilitationRepository:
        return FacilitationRepository(self.session)

    @cached_property
    def facilitators(self) -> FacilitatorRepository:
        return FacilitatorRepository(self.session)

    @cached_property
    def privacy(self) -> PrivacyRepository:
        return PrivacyRepository(self.session)

    @cached_property
    def planner(self) -> PlannerRepository:
        return PlannerRepository(self.session)

    @asynccontextmanager
    async def write(self, *, busy_row: write_lock.BusyRow | None = None) -> AsyncIterator[Repo]:
        """One transaction that writes: the unit of work of a use-case.

        Commits when the block ends normally and rolls back when it raises, so a use-case commits
        exactly once by construction. On PostgreSQL this is an ordinary transaction (row locks do
        the rest); on SQLite it takes the database's write lock up front (BEGIN IMMEDIATE, sent
        with the block's first statement), so concurrent writers wait their turn instead of
        failing halfway; the lock is given back when the transaction ends. A read-only
        transaction still open is ended first.

        `busy_row` names a row that many may lock at the same moment (a table a crowd signs up
        for): on PostgreSQL such writers take turns in the process before they begin, so those
        waiting hold no pooled connection (see `storage.write_lock`). `crowd` then says
        whether others were writing to it as this block began (on any database): reads that
        need no lock are best done before taking the row, while the others hold it, and what
        all of them need may be shared among them (`crowd.shared`). A writer alone at the row
        has nothing to read first: on PostgreSQL its transaction locks the row as it begins,
        in the same round trip (`write_lock.held_from_start` says so).
        """
        await self._end_read()
        self.crowd = await write_lock.acquire(self.session, busy_row)
        options = write_lock.begin_options(self.session, busy_row, crowded=self.crowd is not None)
        try:
            await self.session.connection(execution_options=options)
        except BaseException:
            write_lock.release(self.session)
            raise
        depth = self._enter_block()
        try:
            yield self
        except BaseException:
            await self.session.rollback()
            raise
        finally:
            self._leave_block(depth)
            self.crowd = None
        await self.session.commit()

    @asynccontextmanager
    async def write_one(self) -> AsyncIterator[Repo]:
        """A block whose writing is one statement, which it may read after (someone seen,
        `UserRepository.record_sight`). A statement is atomic on its own, so on PostgreSQL the
        block runs without BEGIN and COMMIT, as a read block does (they were two of its three
        round trips); a second statement that writes, or a lock, is refused there. On SQLite,
        or inside another block, it is a `write`."""
        options = one_write_without_transaction(self._outermost_dialect())
        if options is None:
            async with self.write():
                yield self
            return
        depth = self._enter_block()
        connection = await self.session.connection(execution_options=options)
        allow_one_write(connection)
        try:
            yield self
        except BaseException:
            end_one_write(connection)
            self._leave_block(depth)
            await self._end_failed_read()
            raise
        end_one_write(connection)
        self._leave_block(depth)
        await self._end_read()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Repo]:
        """A block that only reads; its transaction is ended afterwards, so no snapshot lingers.
        Within another block (a read or a write) it is part of that block's transaction: the
        reads of one use-case share one transaction, and a write is never ended halfway.
        An outermost read block runs without BEGIN and COMMIT (see
        `storage.engine.read_without_transaction`); a write or lock in it is refused."""
        depth = self._enter_block()
        try:
            options = read_without_transaction(self._outermost_dialect()) if depth == 0 else None
            if options is not None:
                await self.session.connection(execution_options=options)
            yield self
        except BaseException:
            self._leave_block(depth)
            if depth == 0:
                await self._end_failed_read()
            raise
        self._leave_block(depth)
        if depth == 0:
            await self._end_read()

    def _outermost_dialect(self) -> str | None:
        """The database's name when no transaction is open in the session (a block opened now
        is the outermost one); None inside a transaction."""
        bind = self.session.bind
        if bind is None or self.session.in_transaction():
            return None
        return bind.dialect.name

    def _enter_block(self) -> int:
        info = self.session.sync_session.info
        depth: int = info.get(_BLOCK_DEPTH, 0)
        info[_BLOCK_DEPTH] = depth + 1
        return depth

    def _leave_block(self, depth: int) -> None:
        self.session.sync_session.info[_BLOCK_DEPTH] = depth

    async def _end_failed_read(self) -> None:
        """After a read block that raised: ended as any read, or rolled back when its
        connection can't commit any more (a query cancelled halfway, a dropped connection),
        so the session can be used again. What the caller sees is the block's own exception."""
        try:
            await self._end_read()
        except Exception:
            try:
                await self.session.rollback()
            except Exception:
                logger.warning("a failed read could not be rolled back", exc_info=True)

    async def _end_read(self) -> None:
        # Ending a read with commit (not rollback) keeps loaded objects usable: the session does
        # not expire on commit, but a rollback would expire everything it holds.
        if self.session.in_transaction():
            await self.session.commit()


async def _close(session: AsyncSession) -> None:
    """Closes the session as `async with pool()` does, whole even when the update is being
    cancelled meanwhile: SQLAlchemy closes it in a task of its own for that (two turns of the
    event loop more). A session that holds no connection (every block ended) closes without
    awaiting anything, so nothing can stop it halfway: that one is closed here directly."""
    if session.in_transaction():
        await session.__aexit__(None, None, None)
    else:
        await session.close()
