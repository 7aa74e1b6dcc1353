"""Knowledge-base articles and themed-meetup proposals. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Initiative,
    InitiativeStatus,
    KnowledgeArticle,
    KnowledgeRevision,
    MeetupProposal,
)
from storage.upsert import insert_or_ignore


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, article: KnowledgeArticle) -> KnowledgeArticle:
        self._session.add(article)
        await self._session.flush()
        return article

    async def get(self, article_id: int) -> KnowledgeArticle | None:
        return await self._session.get(KnowledgeArticle, article_id)

    async def by_question(self, question_id: int) -> KnowledgeArticle | None:
        result = await self._session.execute(
            select(KnowledgeArticle).where(KnowledgeArticle.question_id == question_id)
        )
        return result.scalars().first()

    async def delete(self, article: KnowledgeArticle) -> None:
        await self._session.delete(article)
        await self._session.flush()

    async def all(self) -> Sequence[KnowledgeArticle]:
        result = await self._session.execute(select(KnowledgeArticle).order_by(KnowledgeArticle.id))
        return result.scalars().all()

    async def refs(self) -> set[str]:
        result = await self._session.execute(
            select(KnowledgeArticle.ref).where(KnowledgeArticle.ref.is_not(None))
        )
        return {ref for ref in result.scalars().all() if ref}

    async def revision(self) -> str:
        """A token that changes whenever an article is added, changed or removed."""
        token = await self._session.scalar(
            select(KnowledgeRevision.token).where(KnowledgeRevision.id == 1)
        )
        return token or ""

    async def bump_revision(self, now: datetime) -> None:
        token = uuid.uuid4().hex
        await insert_or_ignore(
            self._session, KnowledgeRevision, {"id": 1, "token": token, "updated_at": now}
        )
        await self._session.execute(
            update(KnowledgeRevision)
            .where(KnowledgeRevision.id == 1)
            .values(token=token, updated_at=now)
        )

    # Themed-meetup proposals

    async def published_with_theme_and_place(self) -> Sequence[Initiative]:
        result = await self._session.execute(
            select(Initiative)
            .where(
                Initiative.status == InitiativeStatus.PUBLISHED,
                Initiative.lat.is_not(None),
                Initiative.lon.is_not(None),
            )
            .order_by(Initiative.id)
        )
        return result.scalars().all()

    async def add_proposal(self, proposal: MeetupProposal) -> MeetupProposal | None:
        """Store a proposal unless this month's for the same theme and centre exists."""
        existing = await self._session.scalar(
            select(MeetupProposal.id).where(
                MeetupProposal.month == proposal.month,
                MeetupProposal.theme == proposal.theme,
                MeetupProposal.center_id == proposal.center_id,
            )
        )
        if existing is not None:
            return None
        self._session.add(proposal)
        await self._session.flush()
        return proposal

    async def proposal(
        self, proposal_id: int, *, for_update: bool = False
    ) -> MeetupProposal | None:
        statement = select(MeetupProposal).where(MeetupProposal.id == proposal_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalars().first()

    async def proposals(self, ids: Sequence[int]) -> list[MeetupProposal]:
        result = await self._session.execute(
            select(MeetupProposal).where(MeetupProposal.id.in_(list(ids)))
        )
        return list(result.scalars().all())

    async def initiatives(self, ids: Sequence[int]) -> list[Initiative]:
        result = await self._session.execute(
            select(Initiative).where(Initiative.id.in_(ids)).order_by(Initiative.name)
        )
        return list(result.scalars().all())
