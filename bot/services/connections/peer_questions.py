"""Questions to peers: initiatives offer help on themes; a question on a theme goes to at most
five members of those initiatives (least recently asked first, through the outbox, outside
quiet hours); answers go back to the asker, who marks the one that helped. With both sides'
consent the question and that answer join the knowledge base, without names."""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo

from bot.catalog.themes import THEMES
from bot.services import outbox
from bot.services.connections import knowledge
from bot.services.connections.errors import ConnectionsError
from bot.services.message_params import AnswerParams, QuestionParams
from storage.models import KnowledgeArticle, PeerAnswer, PeerQuestion, PeerRecipient
from storage.repositories import Repo

logger = logging.getLogger(__name__)

MAX_HELPERS = 5
DAILY_QUESTIONS = 3
MIN_TEXT, MAX_TEXT = 10, 1000

QUESTION = "peer.question"
ANSWER = "peer.answer"
THANKS = "peer.thanks"
ANSWERED_BY_COLLEAGUE = "peer.answered_by_colleague"


class PeerError(ConnectionsError):
    """A refusal about a question to peers; the subclass says which."""


class UnknownThemeError(PeerError):
    pass


class NoHelpersError(PeerError):
    pass


class QuestionLimitError(PeerError):
    pass


class QuestionGoneError(PeerError):
    """The question does not exist, or it was not asked to this person."""


class AlreadyAnsweredError(PeerError):
    pass


class NotYourQuestionError(PeerError):
    pass


class PeerTextLengthError(PeerError):
    pass


def check_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not MIN_TEXT <= len(cleaned) <= MAX_TEXT:
        raise PeerTextLengthError(len(cleaned))
    return cleaned


def question_subject(question_id: int) -> str:
    return f"peer:{question_id}"


async def ask(
    repo: Repo, asker_id: int, theme: str, text: str, *, now: datetime, tz: tzinfo
) -> tuple[PeerQuestion, int]:
    """Send a question to the helpers on `theme`; returns it and how many got it."""
    if theme not in THEMES:
        raise UnknownThemeError(theme)
    text = check_text(text)
    async with repo.write():
        helpers = await repo.connections.helpers(theme, exclude=asker_id, limit=MAX_HELPERS)
        if not helpers:
            raise NoHelpersError(theme)
        day = now.astimezone(tz).date()
        if not await repo.connections.take_quota(asker_id, day, "question", DAILY_QUESTIONS):
            raise QuestionLimitError(DAILY_QUESTIONS)
        question = PeerQuestion(asker_id=asker_id, theme=theme, text=text, created_at=now)
        await repo.connections.add(question)
        for user_id, initiative_id in helpers:
            await _send_to(repo, question, user_id, initiative_id, now)
    logger.info("peer question %s sent to %s helpers", question.id, len(helpers))
    return question, len(helpers)


async def _send_to(
    repo: Repo, question: PeerQuestion, user_id: int, initiative_id: int, now: datetime
) -> None:
    await repo.connections.add(
        PeerRecipient(
            question_id=question.id,
            user_id=user_id,
            initiative_id=initiative_id,
            asked_at=now,
            declined=False,
        )
    )
    await outbox.schedule(
        repo,
        key=f"peer:{question.id}:ask:{user_id}",
        recipient_id=user_id,
        kind=QUESTION,
        params=QuestionParams(question_id=question.id),
        due_at=now,
        now=now,
        subject=question_subject(question.id),
    )


async def _as_recipient(repo: Repo, question_id: int, user_id: int) -> PeerRecipient:
    recipient = await repo.connections.recipient(question_id, user_id)
    if recipient is None or recipient.declined:
        raise QuestionGoneError(question_id)
    if await repo.connections.answer_by(question_id, user_id) is not None:
        raise AlreadyAnsweredError(question_id)
    return recipient


async def open_question(repo: Repo, question_id: int, user_id: int) -> PeerQuestion:
    """The question a helper is about to answer."""
    async with repo.read():
        await _as_recipient(repo, question_id, user_id)
        question = await repo.connections.question(question_id)
        if question is None:
            raise QuestionGoneError(question_id)
        return question


async def answer(
    repo: Repo, question_id: int, user_id: int, text: str, *, now: datetime
) -> PeerAnswer:
    """A helper's answer, relayed to the asker under the initiative's name."""
    text = check_text(text)
    async with repo.write():
        recipient = await _as_recipient(repo, question_id, user_id)
        question = await repo.connections.question(question_id)
        if question is None:
            raise QuestionGoneError(question_id)
        reply = PeerAnswer(
            question_id=question_id,
            author_id=user_id,
            initiative_id=recipient.initiative_id,
            text=text,
            helpful=False,
            created_at=now,
        )
        await repo.connections.add(reply)
        await outbox.schedule(
            repo,
            key=f"peer:{question_id}:answer:{reply.id}",
            recipient_id=question.asker_id,
            kind=ANSWER,
            params=AnswerParams(answer_id=reply.id),
            due_at=now,
            now=now,
            subject=question_subject(question_id),
        )
        if recipient.initiative_id is not None:
            colleagues = await repo.connections.colleagues_asked(
                question_id, recipient.initiative_id, exclude=user_id
            )
            for colleague in colleagues:  # so nobody writes a second answer for the initiative
                await outbox.schedule(
                    repo,
                    key=f"peer:{question_id}:colleague:{reply.id}:{colleague}",
                    recipient_id=colleague,
                    kind=ANSWERED_BY_COLLEAGUE,
                    params=AnswerParams(answer_id=reply.id),
                    due_at=now,
                    now=now,
                    subject=question_subject(question_id),
                )
    return reply


async def skip(repo: Repo, question_id: int, user_id: int, *, now: datetime) -> bool:
    """A helper can't help: the question goes to the next helper in line, if there is one."""
    async with repo.write():
        recipient = await _as_recipient(repo, question_id, user_id)
        question = await repo.connections.question(question_id, for_update=True)
        if question is None:
            raise QuestionGoneError(question_id)
        recipient.declined = True
        passed_on = False
        candidates = await repo.connections.helpers(
            question.theme, exclude=question.asker_id, limit=MAX_HELPERS * 10
        )
        for helper_id, initiative_id in candidates:
            if await repo.connections.recipient(question_id, helper_id) is None:
                await _send_to(repo, question, helper_id, initiative_id, now)
                passed_on = True
                break
    return passed_on


async def mark_helpful(repo: Repo, answer_id: int, user_id: int, *, now: datetime) -> PeerAnswer:
    """The asker marks the answer that helped; its author is thanked and asked for consent."""
    async with repo.write():
        reply = await repo.connections.answer(answer_id)
        question = (
            await repo.connections.question(reply.question_id, for_update=True) if reply else None
        )
        if reply is None or question is None or question.asker_id != user_id:
            raise NotYourQuestionError(answer_id)
        if not reply.helpful:
            reply.helpful = True
            question.helpful_answer_id = reply.id
            await outbox.schedule(
                repo,
                key=f"peer:{question.id}:thanks:{reply.id}",
                recipient_id=reply.author_id,
                kind=THANKS,
                params=AnswerParams(answer_id=reply.id),
                due_at=now,
                now=now,
                subject=question_subject(question.id),
            )
    return reply


async def give_consent(
    repo: Repo, answer_id: int, user_id: int, *, yes: bool, now: datetime
) -> KnowledgeArticle | None:
    """The asker (for the question) or the author (for the answer) says yes or no to sharing;
    when both said yes the pair joins the knowledge base. Returns the new article."""
    async with repo.write():
        reply = await repo.connections.answer(answer_id)
        question = (
            await repo.connections.question(reply.question_id, for_update=True) if reply else None
        )
        if reply is None or question is None or user_id not in (question.asker_id, reply.author_id):
            raise NotYourQuestionError(answer_id)
        if user_id == question.asker_id:
            question.asker_consent = yes
        if user_id == reply.author_id:
            reply.author_consent = yes
        article = None
        if reply.helpful and question.asker_consent and reply.author_consent:
            article = await knowledge.add_from_question(repo, question, reply, now=now)
    return article


async def question_replied_to(repo: Repo, user_id: int, telegram_message_id: int) -> int | None:
    """The question of a delivered question message the helper answered with "reply"."""
    async with repo.read():
        params = await repo.connections.thread_of_delivered(
            user_id, telegram_message_id, (QUESTION,)
        )
    question_id = params.get("question_id") if params else None
    return int(question_id) if isinstance(question_id, int) else None
