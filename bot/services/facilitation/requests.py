"""Requests to lead a table: a coordinator asks one facilitator, the facilitator answers (by a
reply, a plain message or a button), and may withdraw later.

The first yes wins, in the database: every answer locks the table's row first, and a seat is
only taken by an UPDATE that checks there is one left, so two yeses at the same second can
never both get it. The messages go through the outbox in the same transaction: the request
and, 48 hours later, one reminder (cancelled by the answer); the reminder before the table and
the debrief after it for whoever said yes.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.coordination import alerts, audit
from bot.services.facilitation.pool import (
    FacilitationError,
    NoFacilitatorNeededError,
    check_can_be_asked,
    find_person,
    open_table,
)
from bot.services.message_params import AnsweredParams, RequestParams, WithdrawnParams
from storage.models import Event, EventStatus, FacilitationRequest, RequestStatus, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)

NUDGE_AFTER = timedelta(hours=48)
DUTY_REMINDER_BEFORE = timedelta(hours=24)
DEBRIEF_AFTER = timedelta(minutes=30)


class RequestNotFoundError(FacilitationError):
    """No such request, or it is someone else's."""


class NotWithdrawableError(FacilitationError):
    """Only a yes for a table that has not started can be taken back."""


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TAKEN = "taken"  # someone else was first; thank you
    ALREADY_ACCEPTED = "already_accepted"
    ALREADY_DECLINED = "already_declined"
    CLOSED = "closed"  # taken back, called off, or the table has started


@dataclass(frozen=True, slots=True)
class Answer:
    outcome: Outcome
    request: FacilitationRequest
    event: Event | None


def request_subject(request_id: int) -> str:
    return f"facreq:{request_id}"


def duty_subject(request_id: int) -> str:
    return f"facduty:{request_id}"


async def schedule_request_messages(
    repo: Repo, request: FacilitationRequest, *, now: datetime
) -> None:
    """The request itself (now) and one reminder if there is no answer after 48 hours."""
    params = RequestParams(request_id=request.id)
    subject = request_subject(request.id)
    await outbox.schedule(
        repo, key=f"facreq:{request.id}", recipient_id=request.facilitator_id,
        kind="facilitation.request", params=params, due_at=now, now=now, subject=subject,
        urgent=True,
    )  # fmt: skip
    await outbox.schedule(
        repo, key=f"facreq-nudge:{request.id}", recipient_id=request.facilitator_id,
        kind="facilitation.nudge", params=params, due_at=now + NUDGE_AFTER, now=now,
        subject=subject,
    )  # fmt: skip


async def schedule_duty_messages(
    repo: Repo, request: FacilitationRequest, event: Event, *, now: datetime
) -> int:
    """The facilitator's own reminder the day before and the debrief after the table, for the
    table's current time (its version is in the key); returns how many were new."""
    params = RequestParams(request_id=request.id, version=event.version)
    subject = duty_subject(request.id)
    added = 0
    remind_at = event.starts_at - DUTY_REMINDER_BEFORE
    if remind_at > now:
        added += await outbox.schedule(
            repo, key=f"facrota:{request.id}:v{event.version}",
            recipient_id=request.facilitator_id, kind="facilitation.duty_reminder",
            params=params, due_at=remind_at, now=now, subject=subject,
        )  # fmt: skip
    added += await outbox.schedule(
        repo, key=f"facdebrief:{request.id}:v{event.version}",
        recipient_id=request.facilitator_id, kind="facilitation.debrief", params=params,
        due_at=event.ends_at + DEBRIEF_AFTER, now=now, subject=subject,
    )  # fmt: skip
    return added


async def ask(
    repo: Repo, *, event_id: int, target: int | str, coordinator_id: int, now: datetime
) -> tuple[FacilitationRequest, User, Event]:
    """A coordinator asks one facilitator; refused with the reason when they cannot be asked."""
    async with repo.write():
        person = await find_person(repo, target)
        request, event = await ask_within(
            repo, event_id=event_id, person=person, coordinator_id=coordinator_id, now=now
        )
    return request, person, event


async def ask_within(
    repo: Repo, *, event_id: int, person: User, coordinator_id: int, now: datetime
) -> tuple[FacilitationRequest, Event]:
    """Ask `person` inside the caller's transaction (the table is locked first). Everything
    that can refuse is checked before anything is written, so a caller asking several people
    can go on after a refusal."""
    event = await open_table(repo, event_id, now)
    if event.facilitators_confirmed >= event.facilitators_needed:
        raise NoFacilitatorNeededError(str(event_id))
    await check_can_be_asked(repo, event, person)
    request = await repo.facilitation.add_request(FacilitationRequest(
        event_id=event.id, facilitator_id=person.id, requested_by=coordinator_id,
        status=RequestStatus.PENDING, created_at=now,
    ))  # fmt: skip
    await schedule_request_messages(repo, request, now=now)
    await repo.facilitators.mark_asked([person.id], now)
    await audit.record(
        repo,
        actor_id=coordinator_id,
        action="facilitation.request",
        target=f"event:{event.id}",
        details={"facilitator": person.id, "request": request.id},
        now=now,
    )
    return request, event


async def answer(
    repo: Repo, request_id: int, user_id: int, *, yes: bool, via: str, now: datetime
) -> Answer:
    """The facilitator's yes or no. Yes takes a seat at the table only while there is one."""
    async with repo.write():
        request = await repo.facilitation.request(request_id)
        if request is None or request.facilitator_id != user_id:
            raise RequestNotFoundError(str(request_id))
        # The table's row first: every answer for this table waits here for the one before it.
        event = await repo.events.lock(request.event_id)
        request = await repo.facilitation.request(request_id, fresh=True)
        assert request is not None
        status = request.status
        if event is None or event.status != EventStatus.PUBLISHED or event.starts_at <= now:
            outcome = Outcome.CLOSED
        elif status == RequestStatus.ACCEPTED:
            outcome = Outcome.ALREADY_ACCEPTED
        elif status == RequestStatus.DECLINED and not yes:
            outcome = Outcome.ALREADY_DECLINED
        elif status == RequestStatus.FILLED:
            outcome = Outcome.TAKEN
        elif status not in (RequestStatus.PENDING, RequestStatus.DECLINED):
            outcome = Outcome.CLOSED
        elif not yes:
            outcome = await _decline(repo, request, via=via, now=now)
        else:
            outcome = await _accept(repo, request, event, via=via, now=now)
    return Answer(outcome, request, event)


async def _decline(repo: Repo, request: FacilitationRequest, *, via: str, now: datetime) -> Outcome:
    await repo.facilitation.set_status(
        request.id, RequestStatus.PENDING, RequestStatus.DECLINED, now, via=via
    )
    await outbox.cancel_subject(repo, request_subject(request.id), now=now)
    if request.requested_by is not None and request.open_call_id is None:
        await _tell_requester(repo, request, RequestStatus.DECLINED, now)
    return Outcome.DECLINED


async def _accept(
    repo: Repo, request: FacilitationRequest, event: Event, *, via: str, now: datetime
) -> Outcome:
    old = request.status
    if not await repo.facilitation.take_seat(event.id):
        if old == RequestStatus.PENDING:
            await repo.facilitation.set_status(
                request.id, RequestStatus.PENDING, RequestStatus.FILLED, now
            )
        await outbox.cancel_subject(repo, request_subject(request.id), now=now)
        return Outcome.TAKEN
    await repo.facilitation.set_status(request.id, old, RequestStatus.ACCEPTED, now, via=via)
    await outbox.cancel_subject(repo, request_subject(request.id), now=now)
    event = await repo.events.lock(event.id) or event
    if event.facilitators_confirmed >= event.facilitators_needed:
        for other in await repo.facilitation.close_pending(event.id, now):
            await outbox.cancel_subject(repo, request_subject(other), now=now)
        await repo.facilitation.close_open_calls(event.id, now)
    await schedule_duty_messages(repo, request, event, now=now)
    if request.requested_by is not None:
        await _tell_requester(repo, request, RequestStatus.ACCEPTED, now)
    logger.info("request %s accepted for event %s", request.id, event.id)
    return Outcome.ACCEPTED


async def _tell_requester(
    repo: Repo, request: FacilitationRequest, status: str, now: datetime
) -> None:
    assert request.requested_by is not None
    await outbox.schedule(
        repo, key=f"facans:{request.id}:{status}", recipient_id=request.requested_by,
        kind="facilitation.answered", params=AnsweredParams(request_id=request.id, status=status),
        due_at=now, now=now, subject=f"facans:{request.id}",
    )  # fmt: skip


async def _own_request(repo: Repo, request_id: int, user_id: int) -> FacilitationRequest:
    """The request, when it was made to this facilitator (else RequestNotFoundError)."""
    request = await repo.facilitation.request(request_id)
    if request is None or request.facilitator_id != user_id:
        raise RequestNotFoundError(str(request_id))
    return request


async def withdraw(
    repo: Repo, request_id: int, user_id: int, *, now: datetime, coordinator_chat_id: int | None
) -> Event:
    """A facilitator gives their seat back; the coordinators are alerted at once."""
    async with repo.write():
        event = await repo.events.lock((await _own_request(repo, request_id, user_id)).event_id)
        request = await repo.facilitation.request(request_id, fresh=True)  # after the lock
        assert request is not None
        if (
            event is None
            or request.status != RequestStatus.ACCEPTED
            or event.status != EventStatus.PUBLISHED
            or event.starts_at <= now
        ):
            raise NotWithdrawableError(str(request_id))
        await repo.facilitation.set_status(
            request.id, RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN, now
        )
        await repo.facilitation.give_seat_back(event.id)
        await outbox.cancel_subject(repo, duty_subject(request.id), now=now)
        await alerts.alert_coordinators(
            repo, key=f"facwithdrawn:{request.id}", kind="facilitation.withdrawn",
            params=WithdrawnParams(request_id=request.id, event_id=event.id), now=now,
            coordinator_chat_id=coordinator_chat_id, urgent=True,
        )  # fmt: skip
        event = await repo.events.lock(event.id) or event
    return event


async def open_requests(
    repo: Repo, user_id: int, *, now: datetime
) -> list[tuple[FacilitationRequest, Event]]:
    """Someone's unanswered requests for tables still ahead (read-only)."""
    async with repo.read():
        found = await repo.facilitation.open_requests(user_id, now)
    return [(request, event) for request, event in found if event.starts_at > now]


async def pending_request(
    repo: Repo, request_id: int, user_id: int
) -> tuple[FacilitationRequest, Event] | None:
    """A request of this person with its table (read-only), for asking back."""
    async with repo.read():
        request = await repo.facilitation.request(request_id)
        event = await repo.events.get(request.event_id) if request else None
    if request is None or event is None or request.facilitator_id != user_id:
        return None
    return request, event


async def message_request(repo: Repo, chat_id: int, message_id: int) -> tuple[str, int] | None:
    """(kind, request id) when `message_id` in `chat_id` is one of the bot's facilitation
    messages (a request, its reminder, the own reminder or the debrief question)."""
    async with repo.read():
        found = await repo.facilitation.request_for_message(chat_id, message_id)
    return found


async def still_on(
    repo: Repo, request_id: int, user_id: int, *, now: datetime, coordinator_chat_id: int | None
) -> Event:
    """After the table moved: the facilitator can still lead it; the coordinators see it."""
    async with repo.write():
        request = await _own_request(repo, request_id, user_id)
        event = await repo.events.get(request.event_id)
        if event is None or request.status != RequestStatus.ACCEPTED:
            raise NotWithdrawableError(str(request_id))
        await audit.record(
            repo, actor_id=user_id, action="facilitation.still_on", target=f"event:{event.id}",
            details={"request": request.id, "version": event.version}, now=now,
        )  # fmt: skip
        await alerts.alert_coordinators(
            repo, key=f"facstill:{request.id}:{event.version}", kind="facilitation.still_on",
            params=WithdrawnParams(request_id=request.id, event_id=event.id), now=now,
            coordinator_chat_id=coordinator_chat_id,
        )  # fmt: skip
    return event
