"""The debrief after a table: the facilitator replies to the bot's question with how many people
came and, in a few words, what was talked about ("9 - wonen, de bus, buren"). Stored per table
and facilitator (a second answer replaces the first); it feeds the figures and the export."""

from __future__ import annotations

import re
from datetime import datetime

from bot.services.facilitation.pool import FacilitationError
from bot.services.facilitation.requests import RequestNotFoundError
from storage.models import Debrief, Event, RequestStatus
from storage.repositories import Repo

MAX_PARTICIPANTS = 500
MAX_TOPICS = 500
_NUMBER = re.compile(r"\d+")
_FILLER = re.compile(
    r"^\s*(mensen|personen|deelnemers|people|participants|persons|came|kwamen|waren er)?"
    r"[\s,.:;\-–—]*",
    re.IGNORECASE,
)


class DebriefFormatError(FacilitationError):
    """No number of people in the answer (or an impossible one)."""


class DebriefTooEarlyError(FacilitationError):
    """The table has not started yet."""


def parse(text: str) -> tuple[int, str]:
    """(number of people, topics) from "9 - wonen en buren", "we waren met 12: over de bus"."""
    match = _NUMBER.search(text)
    if match is None:
        raise DebriefFormatError(text)
    count = int(match.group())
    if count > MAX_PARTICIPANTS:
        raise DebriefFormatError(text)
    before = text[: match.start()].strip()
    after = _FILLER.sub("", text[match.end() :], count=1).strip(" ,.:;-–—")
    # "we waren met 12: wonen" → the words before a short lead-in are not topics.
    topics = after if len(before.split()) <= 4 else f"{before} {after}"
    return count, " ".join(topics.split())[:MAX_TOPICS]


async def submit(
    repo: Repo, request_id: int, user_id: int, text: str, *, now: datetime
) -> tuple[Debrief, Event]:
    """Store the facilitator's debrief of the table they led."""
    participants, topics = parse(text)
    async with repo.write():
        request = await repo.facilitation.request(request_id)
        event = await repo.events.get(request.event_id) if request else None
        if (
            request is None
            or event is None
            or request.facilitator_id != user_id
            or request.status != RequestStatus.ACCEPTED
        ):
            raise RequestNotFoundError(str(request_id))
        if event.starts_at > now:
            raise DebriefTooEarlyError(str(request_id))
        debrief = await repo.facilitators.save_debrief(event.id, user_id, participants, topics, now)
    return debrief, event
