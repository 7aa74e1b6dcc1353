"""Introductions (threads, messages, blocks, daily quotas) and questions to peers (help
offers, questions, recipients, answers). Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    HelpOffer,
    Initiative,
    InitiativeMember,
    InitiativeStatus,
    IntroMessage,
    IntroThread,
    OutboxMessage,
    PeerAnswer,
    PeerQuestion,
    PeerRecipient,
    SenderBlock,
    SenderQuota,
)
from storage.upsert import insert_or_ignore, rows_touched


class ConnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, row: object) -> None:
        self._session.add(row)
        await self._session.flush()

    # Introductions

    async def thread(self, thread_id: int, *, for_update: bool = False) -> IntroThread | None:
        statement = select(IntroThread).where(IntroThread.id == thread_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalars().first()

    async def messages(self, thread_id: int) -> Sequence[IntroMessage]:
        result = await self._session.execute(
            select(IntroMessage)
            .where(IntroMessage.thread_id == thread_id)
            .order_by(IntroMessage.created_at, IntroMessage.id)
        )
        return result.scalars().all()

    async def message(self, message_id: int) -> IntroMessage | None:
        return await self._session.get(IntroMessage, message_id)

    async def is_blocked(self, user_id: int, initiative_id: int) -> bool:
        found = await self._session.scalar(
            select(func.count()).where(
                SenderBlock.user_id == user_id,
                SenderBlock.scope.in_(("all", f"i{initiative_id}")),
            )
        )
        return bool(found)

    async def block(
        self,
        user_id: int,
        *,
        initiative_id: int | None,
        blocked_by: int | None,
        thread_id: int | None,
        now: datetime,
    ) -> bool:
        scope = "all" if initiative_id is None else f"i{initiative_id}"
        return await insert_or_ignore(
            self._session,
            SenderBlock,
            {
                "scope": scope,
                "user_id": user_id,
                "initiative_id": initiative_id,
                "blocked_by": blocked_by,
                "thread_id": thread_id,
                "created_at": now,
            },
        )

    async def take_quota(self, user_id: int, day: date, kind: str, limit: int) -> bool:
        """Count one more for the day unless the limit is reached (atomic); True when allowed."""
        await insert_or_ignore(
            self._session, SenderQuota, {"user_id": user_id, "day": day, "kind": kind, "count": 0}
        )
        result = await self._session.execute(
            update(SenderQuota)
            .where(
                SenderQuota.user_id == user_id,
                SenderQuota.day == day,
                SenderQuota.kind == kind,
                SenderQuota.count < limit,
            )
            .values(count=SenderQuota.count + 1)
        )
        return rows_touched(result) > 0

    async def quota_used(self, user_id: int, day: date, kind: str) -> int:
        """How many of `kind` the user used on `day`."""
        used = await self._session.scalar(
            select(SenderQuota.count).where(
                SenderQuota.user_id == user_id, SenderQuota.day == day, SenderQuota.kind == kind
            )
        )
        return int(used or 0)

    async def thread_of_delivered(
        self, recipient_id: int, telegram_message_id: int, kinds: Sequence[str]
    ) -> dict[str, object] | None:
        """The params of the message of one of `kinds` the bot delivered as this Telegram
        message, so a reply to it can be matched with its thread or question."""
        result = await self._session.execute(
            select(OutboxMessage.params).where(
                OutboxMessage.recipient_id == recipient_id,
                OutboxMessage.telegram_message_id == telegram_message_id,
                OutboxMessage.kind.in_(kinds),
            )
        )
        params = result.scalars().first()
        return dict(params) if params is not None else None

    # Questions to peers

    async def offers_of(self, initiative_id: int) -> set[str]:
        result = await self._session.execute(
            select(HelpOffer.theme).where(HelpOffer.initiative_id == initiative_id)
        )
        return set(result.scalars().all())

    async def add_offer(self, initiative_id: int, theme: str, user_id: int, now: datetime) -> bool:
        return await insert_or_ignore(
            self._session,
            HelpOffer,
            {
                "initiative_id": initiative_id,
                "theme": theme,
                "created_by": user_id,
                "created_at": now,
            },
        )

    async def remove_offer(self, initiative_id: int, theme: str) -> None:
        offer = await self._session.get(HelpOffer, (initiative_id, theme))
        if offer is not None:
            await self._session.delete(offer)
            await self._session.flush()

    async def offered_themes(self) -> set[str]:
        result = await self._session.execute(
            select(HelpOffer.theme)
            .join(Initiative, Initiative.id == HelpOffer.initiative_id)
            .where(Initiative.status == InitiativeStatus.PUBLISHED)
            .distinct()
        )
        return set(result.scalars().all())

    async def helpers(self, theme: str, exclude: int, limit: int) -> list[tuple[int, int]]:
        """(user id, initiative id) of members of published initiatives that help on `theme`,
        least recently asked first (never asked before anyone), each person once."""
        last_asked = (
            select(PeerRecipient.user_id, func.max(PeerRecipient.asked_at).label("last"))
            .group_by(PeerRecipient.user_id)
            .subquery()
        )
        result = await self._session.execute(
            select(InitiativeMember.user_id, InitiativeMember.initiative_id, last_asked.c.last)
            .join(HelpOffer, HelpOffer.initiative_id == InitiativeMember.initiative_id)
            .join(Initiative, Initiative.id == InitiativeMember.initiative_id)
            .outerjoin(last_asked, last_asked.c.user_id == InitiativeMember.user_id)
            .where(
                HelpOffer.theme == theme,
                Initiative.status == InitiativeStatus.PUBLISHED,
                InitiativeMember.user_id != exclude,
            )
            .order_by(
                last_asked.c.last.is_not(None),
                last_asked.c.last,
                InitiativeMember.user_id,
                InitiativeMember.initiative_id,
            )
        )
        chosen: dict[int, int] = {}
        for user_id, initiative_id, _last in result.all():
            if user_id not in chosen:
                chosen[user_id] = initiative_id
            if len(chosen) == limit:
                break
        return list(chosen.items())

    async def question(self, question_id: int, *, for_update: bool = False) -> PeerQuestion | None:
        statement = select(PeerQuestion).where(PeerQuestion.id == question_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalars().first()

    async def colleagues_asked(
        self, question_id: int, initiative_id: int, exclude: int
    ) -> list[int]:
        """Who else of the same initiative got this question (and hasn't answered it)."""
        result = await self._session.execute(
            select(PeerRecipient.user_id).where(
                PeerRecipient.question_id == question_id,
                PeerRecipient.initiative_id == initiative_id,
                PeerRecipient.user_id != exclude,
                ~select(PeerAnswer.id)
                .where(
                    PeerAnswer.question_id == question_id,
                    PeerAnswer.author_id == PeerRecipient.user_id,
                )
                .exists(),
            )
        )
        return [int(user_id) for user_id in result.scalars()]

    async def recipient(self, question_id: int, user_id: int) -> PeerRecipient | None:
        return await self._session.get(PeerRecipient, (question_id, user_id))

    async def answer(self, answer_id: int) -> PeerAnswer | None:
        return await self._session.get(PeerAnswer, answer_id)

    async def answer_by(self, question_id: int, author_id: int) -> PeerAnswer | None:
        result = await self._session.execute(
            select(PeerAnswer).where(
                PeerAnswer.question_id == question_id, PeerAnswer.author_id == author_id
            )
        )
        return result.scalars().first()
