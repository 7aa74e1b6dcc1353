"""Signing up, cancelling, a place on the waitlist, taking an offered seat: "vol = vol".

Every use-case locks the event row first (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write
lock from `repo.write()` serialises writers), then counts seats and hands out waitlist positions
inside that lock. So capacity is never exceeded and positions stay 1..n without gaps, also when
hundreds of people tap at the same second. Those people's transactions take turns in the
process before they begin (`busy_row`), so a crowd at one table doesn't hold every database
connection while it waits for the row. A freed seat goes to the first on the waitlist in the
same transaction (`waitlist`), and that person is told at once through the outbox.

A registration may bring more people (a parent with children, a school class): it takes as many
seats as it brings, up to the event's own limit, and waits as one group in one place. A group is
never split: when it doesn't fit in the free seats it keeps its place and the seats go to the
first behind it who fits.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.services import outbox
from bot.services.events import messages as event_messages
from bot.services.events import mix, record, waitlist
from bot.services.events.errors import EventNotFoundError as EventNotFoundError  # re-exported
from bot.services.events.errors import EventsError
from storage.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from storage.repositories import Repo
from storage.repositories.events import EventFilter
from storage.repositories.registrations import SignUpFacts

logger = logging.getLogger(__name__)

# Which training level has to be completed first.
PREREQUISITES: dict[str, tuple[str, ...]] = {"spannend": ("basis",)}
SUGGESTIONS = 3
# How long the other tables read for a crowd signing up for one table are shared within it.
CROWD_SHARES_FOR = 2.0
_SUGGESTIONS = "suggestions"
# How many people one registration may bring: a table or meetup takes a family or a few
# friends unless a coordinator sets another number (a school class); a training certifies one
# person at a time.
GROUP_LIMIT = 4
MAX_PARTY_SIZE = 40
# A table this full (taken seats against capacity), or with a waitlist, is popular.
POPULAR_SHARE = 0.75


class EventNotOpenError(EventsError):
    """The event was cancelled, has ended or has already started."""


class SignupClosedError(EventsError):
    """The registration deadline has passed."""


class PrerequisiteMissingError(EventsError):
    """A training needs another level first."""

    def __init__(self, missing: str) -> None:
        super().__init__(missing)
        self.missing = missing


class PartyTooLargeError(EventsError):
    """More people in one registration than the event takes per registration."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class NotEnoughSeatsError(EventsError):
    """A signed-up group wants to bring more people than there are seats left."""

    def __init__(self, free: int) -> None:
        super().__init__(free)
        self.free = free


class NotRegisteredError(EventsError):
    """There is no seat or waitlist place to cancel."""


class SeatGoneError(EventsError):
    """An offered seat was taken by someone who said yes first."""


class SignUpOutcome(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    ALREADY_CONFIRMED = "already_confirmed"
    ALREADY_WAITLISTED = "already_waitlisted"
    PARTY_CHANGED = "party_changed"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Another event to try, as a waitlist message offers it: a copy of what it shows, which
    belongs to no session (a crowd at one table shares one list)."""

    id: int
    kind: str
    title: str


@dataclass
class SignUpResult:
    event: Event
    registration: Registration
    outcome: SignUpOutcome
    # Seats taken and people waiting right after the sign-up, for the card.
    seats_taken: int = 0
    waiting: int = 0
    suggestions: list[Suggestion] = field(default_factory=list)
    # A new sign-up at a table: the person's latest answers to the two questions, to offer again.
    earlier_answers: tuple[str | None, str | None] = (None, None)


@dataclass
class CancelResult:
    event: Event
    registration: Registration
    was_confirmed: bool
    late: bool
    promoted: list[Registration]
    seats_taken: int = 0
    waiting: int = 0
    # A late cancellation that makes it someone's second: they get a friendly word.
    friendly_word: bool = False


def visible_event(event: Event | None, event_id: int, *, drafts: bool = False) -> Event:
    """The event, when residents may see it (with `drafts`, as on a coordinator's card: a draft
    too); EventNotFoundError otherwise."""
    if event is None or (event.status == EventStatus.DRAFT and not drafts):
        raise EventNotFoundError(event_id)
    return event


async def _open_event_with_facts(
    repo: Repo, event_id: int, user_id: int, now: datetime
) -> tuple[Event, SignUpFacts]:
    """The open event, locked, and the person's place and its numbers read after the lock."""
    event, facts = await repo.registrations.lock_with_facts(event_id, user_id)
    return _still_open(event, event_id, now), facts


def _still_open(event: Event | None, event_id: int, now: datetime) -> Event:
    event = visible_event(event, event_id)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        raise EventNotOpenError(event_id)
    return event


def default_party_limit(kind: str) -> int:
    return 1 if kind == EventKind.TRAINING else GROUP_LIMIT


def party_limit(event: Event) -> int:
    """How many people one registration may bring: the event's limit, never above its seats."""
    return max(1, min(event.max_party_size, event.capacity))


@dataclass(frozen=True, slots=True)
class Answers:
    """The two optional answers given while signing up (None: skipped)."""

    age_group: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class ButtonAnswer:
    """The answer a button of one of the two questions stands for: the question (`mix.AGE` or
    `mix.PLACE`) and the button's code, read once the event is known."""

    question: str
    code: str

    def read(self, event: Event) -> Answers:
        value = mix.read_answer(event, self.question, self.code)
        return Answers(age_group=value) if self.question == mix.AGE else Answers(place=value)


async def sign_up(
    repo: Repo,
    event_id: int,
    user_id: int,
    *,
    now: datetime,
    party_size: int | None = None,
    answer: ButtonAnswer | None = None,
) -> SignUpResult:
    """Give seats if there are enough, else one place at the end of the waitlist. Twice is
    harmless; `party_size` (the signer included, default one, or as before) changes how many
    people an existing registration brings. When only reserved seats are left, whether they
    are for this person is read from `answer` (or their earlier ones); without either,
    `mix.AnswerNeededError` asks for it first."""
    async with repo.write(busy_row=repo.events.row(event_id)):
        early_suggestions = await _suggestions_in_a_crowd(repo, event_id, now)
        # After the lock: the person's place, both numbers (waitlist positions are always
        # 1..waiting) and their latest answers.
        event, facts = await _open_event_with_facts(repo, event_id, user_id, now)
        answers = answer.read(event) if answer is not None else None
        if party_size is not None and not 1 <= party_size <= party_limit(event):
            raise PartyTooLargeError(party_limit(event))
        registration, seats_taken, waiting = facts.registration, facts.seats_taken, facts.waiting
        active = registration is not None and registration.status in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
        )
        if registration is not None and active:
            outcome = await _keep_or_change_party(
                repo, event, registration, party_size, seats_taken, now
            )
            seats_taken, waiting = (await repo.registrations.counts([event_id]))[event_id]
        else:
            if now >= event.open_until:
                raise SignupClosedError(event_id)
            await _check_prerequisites(repo, event, user_id)
            size = party_size or 1
            held = await waitlist.held_back(repo, event, now)
            seat = seats_taken + size <= event.capacity - held
            if not seat and held and seats_taken + size <= event.capacity:
                seat = _reserved_for(event, answers, facts.latest_answers)
            waits_for_offer = seat and await _waits_for_offer(
                repo, event, user_id, seats_taken + size, waiting, now
            )
            registration, outcome = await _take_place(
                repo,
                event,
                registration,
                user_id,
                now,
                None if seat and not waits_for_offer else waiting + 1,
                size,
                waits_for_offer=waits_for_offer,
                answers=answers,
            )
            seats_taken, waiting = (
                (seats_taken + size, waiting) if outcome == SignUpOutcome.CONFIRMED
                else (seats_taken, waiting + 1)
            )  # fmt: skip
        # What the answer shows is read in the same transaction: one per sign-up.
        result = SignUpResult(event, registration, outcome, seats_taken, waiting)
        if outcome in (SignUpOutcome.WAITLISTED, SignUpOutcome.ALREADY_WAITLISTED):
            result.suggestions = (
                early_suggestions
                if early_suggestions is not None
                else await suggestions_for(repo, event, now=now)
            )
        new = outcome in (SignUpOutcome.CONFIRMED, SignUpOutcome.WAITLISTED)
        if new and mix.wants_answers(event, registration):
            result.earlier_answers = facts.latest_answers
    return result


async def _suggestions_in_a_crowd(
    repo: Repo, event_id: int, now: datetime
) -> list[Suggestion] | None:
    """With others signing up for the table at this moment, most will land on its waitlist: the
    other tables to suggest there are read now, while the others hold the table's row, rather
    than after taking it (a read that needs no lock, and that would hold up the crowd behind).
    The crowd shares one list, read at most `CROWD_SHARES_FOR` ago: a table that filled up
    since may still be suggested, and its card then says it is full.
    None when nobody else is signing up (or the table is gone: taking its row then says so)."""
    crowd = repo.crowd
    if crowd is None:
        return None
    read_at, shared = crowd.shared.get(_SUGGESTIONS, (0.0, None))
    if shared is not None and time.monotonic() - read_at < CROWD_SHARES_FOR:
        return list(shared)
    event = await repo.events.get(event_id)
    if event is None:
        return None
    found = await suggestions_for(repo, event, now=now)
    crowd.shared[_SUGGESTIONS] = (time.monotonic(), tuple(found))
    return found


async def _keep_or_change_party(
    repo: Repo,
    event: Event,
    registration: Registration,
    party_size: int | None,
    seats_taken: int,
    now: datetime,
) -> SignUpOutcome:
    """An existing seat or waitlist place: the same again is harmless; another number of
    people changes the group (a seat only when the extra seats are free; fewer people free
    seats for the waitlist at once)."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    if party_size is None or party_size == registration.party_size:
        return SignUpOutcome.ALREADY_CONFIRMED if confirmed else SignUpOutcome.ALREADY_WAITLISTED
    more = party_size - registration.party_size
    room = event.capacity
    if not mix.matches(event, registration.age_group, registration.neighbourhood):
        room -= await waitlist.held_back(repo, event, now)
    if confirmed and more > 0 and seats_taken + more > room:
        raise NotEnoughSeatsError(max(0, room - seats_taken))
    registration.party_size = party_size
    registration.updated_at = now
    await repo.session.flush()
    if confirmed and more < 0:
        await waitlist.fill_free_seats(repo, event, now=now)
    logger.info("event %s: a group now brings %s", event.id, party_size)
    return SignUpOutcome.PARTY_CHANGED


def _reserved_for(
    event: Event, answers: Answers | None, earlier: tuple[str | None, str | None]
) -> bool:
    """Whether the table's reserved seats are for this person: by the answers given now, or
    else their `earlier` ones (age group, place); asked first when neither says it."""
    if answers is not None:
        return bool(mix.matches(event, answers.age_group, answers.place))
    age_group, place = earlier
    found = mix.matches(event, age_group, mix.usable_place(event, place))
    if found is None:
        raise mix.AnswerNeededError(event.id, mix.question_for(event), (age_group, place))
    return found


async def _waits_for_offer(
    repo: Repo, event: Event, user_id: int, seats_after: int, waiting: int, now: datetime
) -> bool:
    """Someone with several no-shows in the last 12 months signing up for a popular table
    waits first while others get the seats; close to the start they share in the offer of
    whatever seats are left. Never for other events, and never within the offer window."""
    if event.kind != EventKind.TABLE or event.starts_at - now <= waitlist.OFFER_WITHIN:
        return False
    popular = waiting > 0 or seats_after >= event.capacity * POPULAR_SHARE
    if not popular:
        return False
    return record.waits_first(await record.current_record(repo, user_id, now=now))


async def _check_prerequisites(repo: Repo, event: Event, user_id: int) -> None:
    if event.kind != EventKind.TRAINING or not event.level:
        return
    needed = PREREQUISITES.get(event.level, ())
    if not needed:
        return
    held = await repo.events.certificate_levels(user_id)
    for level in needed:
        if level not in held:
            raise PrerequisiteMissingError(level)


async def _take_place(
    repo: Repo,
    event: Event,
    registration: Registration | None,
    user_id: int,
    now: datetime,
    position: int | None,
    party_size: int,
    *,
    waits_for_offer: bool = False,
    answers: Answers | None = None,
) -> tuple[Registration, SignUpOutcome]:
    """Seats for the group (`position` None) or that place on the waitlist, in the existing
    row if any."""
    if position is None:
        status, outcome = RegistrationStatus.CONFIRMED, SignUpOutcome.CONFIRMED
    else:
        status, outcome = RegistrationStatus.WAITLISTED, SignUpOutcome.WAITLISTED
    confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
    waitlisted_at = now if status == RegistrationStatus.WAITLISTED else None
    if registration is None:
        new = Registration(
            event_id=event.id,
            user_id=user_id,
            status=status,
            waitlist_position=position,
            late_cancellation=False,
            party_size=party_size,
            waits_for_offer=waits_for_offer,
            age_group=answers.age_group if answers else None,
            neighbourhood=answers.place if answers else None,
            seat_count=1 if status == RegistrationStatus.CONFIRMED else 0,
            created_at=now,
            updated_at=now,
            confirmed_at=confirmed_at,
            waitlisted_at=waitlisted_at,
        )
        return await _store_new(repo, event, new, now), outcome
    registration.status = status
    registration.waitlist_position = position
    registration.late_cancellation = False
    registration.party_size = party_size
    registration.waits_for_offer = waits_for_offer
    if answers is not None:
        registration.age_group, registration.neighbourhood = answers.age_group, answers.place
    registration.seat_count += 1 if status == RegistrationStatus.CONFIRMED else 0
    registration.updated_at = now
    registration.confirmed_at = confirmed_at
    registration.waitlisted_at = waitlisted_at
    registration.cancelled_at = None
    registration.reconfirmed_at = None
    await repo.session.flush()
    if status == RegistrationStatus.CONFIRMED:
        await event_messages.schedule_seat_messages(repo, event, registration, now=now)
    return registration, outcome


async def _store_new(repo: Repo, event: Event, new: Registration, now: datetime) -> Registration:
    """A new registration; a new seat and its reminders are stored together (one statement on
    PostgreSQL: two were a tenth of a sign-up)."""
    if new.status != RegistrationStatus.CONFIRMED:
        return await repo.registrations.add(new)

    def seat_messages(stored: Registration) -> list[dict[str, object]]:
        return outbox.rows_of(event_messages.seat_messages(event, stored, now=now))

    return await repo.registrations.add_with_messages(new, seat_messages, now=now)


async def cancel(repo: Repo, event_id: int, user_id: int, *, now: datetime) -> CancelResult:
    """Give up a seat or a waitlist place; a freed seat goes to the first on the waitlist."""
    async with repo.write(busy_row=repo.events.row(event_id)):
        event, facts = await _open_event_with_facts(repo, event_id, user_id, now)
        registration = facts.registration
        if registration is None or registration.status not in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
        ):
            raise NotRegisteredError(event_id)
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        late = was_confirmed and bool(
            event.cancellation_cutoff and now >= event.cancellation_cutoff
        )
        position = registration.waitlist_position
        registration.status = RegistrationStatus.CANCELLED
        registration.waitlist_position = None
        registration.late_cancellation = late
        registration.cancelled_at = now
        registration.updated_at = now
        await repo.session.flush()
        await event_messages.drop_seat_messages(repo, event, registration, now=now)
        promoted: list[Registration] = []
        if position is not None:
            await repo.registrations.close_gap(event.id, position, now)
        else:
            promoted = await waitlist.fill_free_seats(repo, event, now=now)
        seats_taken, waiting = (await repo.registrations.counts([event_id]))[event_id]
        friendly_word = late and record.deserves_a_friendly_word(
            await record.current_record(repo, user_id, now=now)
        )
    return CancelResult(
        event, registration, was_confirmed, late, promoted, seats_taken, waiting, friendly_word
    )


async def take_seat(repo: Repo, event_id: int, user_id: int, *, now: datetime) -> SignUpResult:
    """[Ja, ik kom] under a seat offer: the first yes gets the free seat (the event row is
    locked, so two yeses at the same moment can't both win); when no free seat is left, the
    others who got the offer hear it has gone."""
    async with repo.write(busy_row=repo.events.row(event_id)):
        event, facts = await _open_event_with_facts(repo, event_id, user_id, now)
        registration, seats_taken, waiting = facts.registration, facts.seats_taken, facts.waiting
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            return SignUpResult(
                event, registration, SignUpOutcome.ALREADY_CONFIRMED, seats_taken, waiting
            )
        if registration is None or registration.status != RegistrationStatus.WAITLISTED:
            raise NotRegisteredError(event_id)
        if seats_taken + registration.party_size > event.capacity:
            raise SeatGoneError(event_id)
        await waitlist.seat_from_waitlist(repo, event, registration, now)
        seats_taken, waiting = (await repo.registrations.counts([event_id]))[event_id]
        if not await waitlist.waiting_who_fit(repo, event_id, event.capacity - seats_taken):
            await event_messages.tell_seat_gone(repo, event, user_id, now=now)
    logger.info("event %s: an offered seat was taken", event_id)
    return SignUpResult(event, registration, SignUpOutcome.CONFIRMED, seats_taken, waiting)


async def reconfirm(repo: Repo, registration_id: int, user_id: int, *, now: datetime) -> Event:
    """The answer "Ja" to "Kom je nog?": noted, the seat stays."""
    async with repo.write():
        registration = await repo.registrations.get(registration_id)
        if registration is None or registration.user_id != user_id:
            raise NotRegisteredError(registration_id)
        event = await repo.events.get(registration.event_id)
        if event is None or registration.status != RegistrationStatus.CONFIRMED:
            raise NotRegisteredError(registration_id)
        registration.reconfirmed_at = now
        registration.updated_at = now
    return event


async def suggestions_for(repo: Repo, event: Event, *, now: datetime) -> list[Suggestion]:
    """Up to three other upcoming events of the same kind and theme that still have seats."""
    async with repo.read():
        where = EventFilter(kind=event.kind, theme=event.theme)
        found = await repo.events.with_seats_left(now, where, exclude=event.id, limit=SUGGESTIONS)
    return [Suggestion(other.id, other.kind, other.title) for other in found]


async def decline(repo: Repo, registration_id: int, user_id: int, *, now: datetime) -> CancelResult:
    """The answer "Nee" to "Kom je nog?": the seat goes to the first on the waitlist."""
    async with repo.read():
        registration = await repo.registrations.get(registration_id)
    if registration is None or registration.user_id != user_id:
        raise NotRegisteredError(registration_id)
    return await cancel(repo, registration.event_id, user_id, now=now)
