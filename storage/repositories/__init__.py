"""The data-access holder: one object per unit of work that hands out the repositories."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import SQLITE_BEGIN_OPTION
from storage.repositories.outbox import OutboxRepository
from storage.repositories.outbox_claims import OutboxClaimRepository
from storage.repositories.users import UserRepository


class Repo:
    """All repositories over one session. Services commit through it, exactly once per use-case."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    @cached_property
    def outbox_claims(self) -> OutboxClaimRepository:
        return OutboxClaimRepository(self.session)

    async def begin_write(self) -> None:
        """Start a transaction that will write. Call it first in a use-case that writes.

        On PostgreSQL this is an ordinary transaction (row locks do the rest); on SQLite it takes
        the database's write lock now (BEGIN IMMEDIATE), so concurrent writers wait their turn
        instead of failing halfway. A read-only transaction still open is ended first.
        """
        if self.session.in_transaction():
            await self.session.commit()
        await self.session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
