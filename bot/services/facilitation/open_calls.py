"""Open calls: a table is offered to every eligible facilitator at once and the first yes takes
the seat (see `facilitation_requests.answer`); later yeses hear that someone else was first.

Eligible: facilitator (or coordinator), the certificate the table needs, not unavailable then,
not leading another table at the same time, not asked for this table already (a no stays a
no; only who lost an earlier open call is asked again), and under their
own monthly maximum. The least recently asked are invited first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo

from bot.catalog.certificates import granted_after
from bot.services.coordination import audit
from bot.services.facilitation.pool import (
    FacilitationError,
    NoFacilitatorNeededError,
    open_table,
    required_level,
)
from bot.services.facilitation.requests import schedule_request_messages
from storage.models import Event, FacilitationRequest, RequestStatus, User
from storage.repositories import Repo


class NoCandidatesError(FacilitationError):
    """Nobody eligible is left to invite."""

    def __init__(self, level: str) -> None:
        super().__init__("no candidates")
        self.level = level


@dataclass(frozen=True, slots=True)
class OpenCallResult:
    event: Event
    invited: int


def month_window(moment: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The calendar month (local time) around `moment`."""
    local = moment.astimezone(tz).date().replace(day=1)
    after = local.replace(year=local.year + local.month // 12, month=local.month % 12 + 1)
    return datetime.combine(local, time(), tz), datetime.combine(after, time(), tz)


async def eligible(repo: Repo, event: Event, *, tz: tzinfo) -> list[User]:
    """Who may be invited to an open call for `event`, least recently asked first."""
    asked = {
        user.id
        for request, user in await repo.facilitation.requests_for_event(event.id)
        if request.status != RequestStatus.FILLED  # a no for this table stays a no
    }
    people = [
        person
        for person in await repo.facilitators.candidates(
            event, required_level(event), granted_after(required_level(event), event.starts_at)
        )
        if person.id not in asked
    ]
    ids = [person.id for person in people]
    profiles = await repo.facilitators.profiles(ids)
    start, end = month_window(event.starts_at, tz)
    taken = await repo.facilitators.accepted_between(ids, start, end)
    result = []
    for person in people:
        maximum = profiles[person.id].max_per_month if person.id in profiles else None
        if maximum is None or taken.get(person.id, 0) < maximum:
            result.append(person)
    return result


async def start(
    repo: Repo, event_id: int, *, coordinator_id: int, now: datetime, tz: tzinfo
) -> OpenCallResult:
    """Invite every eligible facilitator; refused when the table needs nobody or nobody fits."""
    async with repo.write():
        event = await open_table(repo, event_id, now)
        if event.facilitators_confirmed >= event.facilitators_needed:
            raise NoFacilitatorNeededError(str(event_id))
        people = await eligible(repo, event, tz=tz)
        if not people:
            raise NoCandidatesError(required_level(event))
        call = await repo.facilitation.add_open_call(event.id, coordinator_id, now)
        call.invited = len(people)
        for person in people:
            request = await repo.facilitation.add_request(FacilitationRequest(
                event_id=event.id, facilitator_id=person.id, requested_by=coordinator_id,
                open_call_id=call.id, status=RequestStatus.PENDING, created_at=now,
            ))  # fmt: skip
            await schedule_request_messages(repo, request, now=now)
        await repo.facilitators.mark_asked([person.id for person in people], now)
        await audit.record(
            repo, actor_id=coordinator_id, action="facilitation.open_call",
            target=f"event:{event.id}", details={"call": call.id, "invited": len(people)}, now=now,
        )  # fmt: skip
    return OpenCallResult(event, len(people))
