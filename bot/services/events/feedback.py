"""One tap of feedback after a table: two hours after it ends, everyone who had a seat (and
was not marked absent) gets "Hoe was het gesprek?" with 1 to 5 stars and room for a sentence,
which is shared (the CSV) only with their consent. Figures by theme, place and period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.events.errors import EventsError
from bot.services.message_params import SeatParams
from storage.models import RegistrationStatus, TableFeedback
from storage.repositories import Repo

FEEDBACK = "event.feedback"
ASK_AFTER = timedelta(hours=2)  # after the table ends
ASK_WITHIN = timedelta(days=2)  # tables that ended longer ago are not asked about any more
COMMENT_LENGTH = 500
_PRESENT = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)


class NotAParticipantError(EventsError):
    """Only someone who had a seat at the table can say how it was."""


class InvalidRatingError(EventsError, ValueError):
    """Stars are 1 to 5."""


async def ask_for_feedback(repo: Repo, *, now: datetime) -> int:
    """Schedule "Hoe was het gesprek?" for the participants of tables that ended at least two
    hours ago (once each: the key is fixed). Returns how many were newly scheduled."""
    async with repo.write():
        scheduled = 0
        for event, registration in await repo.feedback.participants_of_tables_ended(
            now - ASK_WITHIN, now - ASK_AFTER, _PRESENT
        ):
            scheduled += await outbox.schedule(
                repo,
                key=f"{FEEDBACK}:{event.id}:{registration.user_id}",
                recipient_id=registration.user_id,
                kind=FEEDBACK,
                params=SeatParams(
                    event_id=event.id,
                    registration_id=registration.id,
                    starts_at=event.starts_at.isoformat(),
                    version=event.version,
                ),
                due_at=now,
                now=now,
            )
    return scheduled


async def _own(repo: Repo, event_id: int, user_id: int) -> TableFeedback | None:
    registration = await repo.registrations.of(event_id, user_id)
    if registration is None or registration.status not in _PRESENT:
        raise NotAParticipantError(event_id)
    return await repo.feedback.of(event_id, user_id)


async def rate(repo: Repo, event_id: int, user_id: int, rating: int, *, now: datetime) -> None:
    """The stars (1 to 5); a second tap changes them."""
    if not 1 <= rating <= 5:
        raise InvalidRatingError(rating)
    async with repo.write():
        found = await _own(repo, event_id, user_id)
        if found is None:
            await repo.feedback.add(
                TableFeedback(
                    event_id=event_id, user_id=user_id, rating=rating, comment="",
                    comment_shared=False, created_at=now, updated_at=now,
                )
            )  # fmt: skip
        else:
            found.rating, found.updated_at = rating, now


async def comment(repo: Repo, event_id: int, user_id: int, text: str, *, now: datetime) -> None:
    """The sentence that goes with the stars (not shared until they agree)."""
    async with repo.write():
        found = await _own(repo, event_id, user_id)
        if found is None:
            raise NotAParticipantError(event_id)
        found.comment = " ".join(text.split())[:COMMENT_LENGTH]
        found.comment_shared = False
        found.updated_at = now


async def share(repo: Repo, event_id: int, user_id: int, shared: bool, *, now: datetime) -> None:
    """Whether the sentence may be shared (without the name) with the organisation."""
    async with repo.write():
        found = await _own(repo, event_id, user_id)
        if found is None:
            raise NotAParticipantError(event_id)
        found.comment_shared, found.updated_at = shared, now


@dataclass
class FeedbackFigures:
    answers: int = 0
    average: float | None = None
    by_theme: dict[str, tuple[float, int]] = field(default_factory=dict)
    by_municipality: dict[str, tuple[float, int]] = field(default_factory=dict)


def _averages(groups: dict[str, list[int]]) -> dict[str, tuple[float, int]]:
    return {
        key: (sum(ratings) / len(ratings), len(ratings))
        for key, ratings in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    }


async def figures(repo: Repo, start: datetime, end: datetime) -> FeedbackFigures:
    """Average stars of tables held in the period, overall, per theme and per municipality."""
    rows = await repo.feedback.ratings(start, end)
    if not rows:
        return FeedbackFigures()
    themes: dict[str, list[int]] = defaultdict(list)
    places: dict[str, list[int]] = defaultdict(list)
    for rating, theme, municipality in rows:
        if theme:
            themes[theme].append(rating)
        places[municipality].append(rating)
    ratings = [rating for rating, _theme, _place in rows]
    return FeedbackFigures(
        len(ratings), sum(ratings) / len(ratings), _averages(themes), _averages(places)
    )
