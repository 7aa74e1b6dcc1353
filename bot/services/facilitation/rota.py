"""Availability polling that fills the rota. Once a month every facilitator is asked on which
days of next month they can lead a table: the days of the tables that still need someone. Their
answers propose a rota to the coordinators: per table whom to ask, respecting the certificate
it needs (valid on the day), unavailable periods, other tables at that time, everyone's monthly
maximum and whoever said no to that table, preferring people who like its theme or place, and
spreading the work (whoever leads fewest tables that month first). One tap of a coordinator
sends it: requests through the usual flow, answered by a reply in the chat.

Nothing is stored about the proposal itself: it is worked out again from the answers whenever
it is shown or sent, and a table that already has a request waiting is left out, so sending it
twice (or by two coordinators at once) asks nobody twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from bot.services import outbox
from bot.services.coordination import audit
from bot.services.coordination.alerts import alert_coordinators
from bot.services.events.inputs import parse_period
from bot.services.events.periods import month_code, period_start, period_window
from bot.services.facilitation.open_calls import eligible
from bot.services.facilitation.pool import FacilitationError
from bot.services.facilitation.requests import ask_within
from storage.models import Event, FacilitatorProfile, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)

POLL = "facilitation.availability_poll"
ROTA = "facilitation.rota_proposal"


class NotAPollDayError(FacilitationError):
    """A day that is not (or no longer) one of the poll's days."""


def month_after(now: datetime, tz: tzinfo) -> str:
    """The month code of next month (local time)."""
    local = now.astimezone(tz).date().replace(day=1)
    return month_code((local + timedelta(days=32)).replace(day=1))


def month_named(text: str, *, now: datetime, tz: tzinfo) -> str | None:
    """The month typed after /rooster ("maart", "maart 2027") as a month code; None when it
    isn't a month."""
    try:
        month = parse_period(text, now=now, tz=tz)
    except ValueError:
        return None
    return month if len(month) == 4 else None


def read_day(code: str) -> date:
    """The day of a poll button ("270112"); a code that is no day is refused."""
    day = period_start(code) if len(code) == 6 else None
    if day is None:
        raise NotAPollDayError(code)
    return day


def _window(month: str, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    start, end = period_window(now, tz, month)
    if start is None or end is None or len(month) != 4:
        raise NotAPollDayError(month)
    return start, end


async def _tables(repo: Repo, month: str, now: datetime, tz: tzinfo) -> list[Event]:
    """The month's tables still ahead that still need a facilitator, soonest first."""
    start, end = _window(month, now, tz)
    found = await repo.facilitation.tables_missing_facilitators(max(now, start), end)
    return [event for event in found if event.starts_at < end]


def local_day(event: Event, tz: tzinfo) -> date:
    return event.starts_at.astimezone(tz).date()


@dataclass(frozen=True, slots=True)
class PollView:
    month: str
    days: list[date]  # the days of tables that still need someone
    chosen: set[date]  # of those, the days this person can


async def current_poll(
    repo: Repo, user_id: int, month: str, *, now: datetime, tz: tzinfo
) -> PollView:
    """The poll as it is now for one person, inside the caller's transaction."""
    days = sorted({local_day(event, tz) for event in await _tables(repo, month, now, tz)})
    start, end = _window(month, now, tz)
    chosen = await repo.facilitators.available_days(user_id, start.date(), end.date())
    return PollView(month, days, chosen & set(days))


async def poll_of(repo: Repo, user_id: int, month: str, *, now: datetime, tz: tzinfo) -> PollView:
    async with repo.read():
        return await current_poll(repo, user_id, month, now=now, tz=tz)


async def set_day(
    repo: Repo, user_id: int, month: str, day: date, available: bool, *, now: datetime, tz: tzinfo
) -> PollView:
    """Tick (or untick) a day of the poll; a day that isn't one of its days is refused."""
    async with repo.write():
        view = await current_poll(repo, user_id, month, now=now, tz=tz)
        if day not in view.days:
            raise NotAPollDayError(str(day))
        await repo.facilitators.set_available(user_id, day, available, now)
        chosen = view.chosen | {day} if available else view.chosen - {day}
    return PollView(month, view.days, chosen)


async def send_polls(repo: Repo, *, now: datetime, tz: tzinfo) -> int:
    """Ask every facilitator about next month's days (once a month each); nothing to ask when
    no table of next month needs anyone. Returns how many were newly asked."""
    month = month_after(now, tz)
    async with repo.write():
        if not await _tables(repo, month, now, tz):
            return 0
        asked = 0
        for person in await repo.facilitators.pollable():
            asked += await outbox.schedule(
                repo,
                key=f"{POLL}:{month}:{person.id}",
                recipient_id=person.id,
                kind=POLL,
                params={"month": month},
                due_at=now,
                now=now,
            )
    logger.info("availability poll for %s sent to %s facilitators", month, asked)
    return asked


@dataclass(frozen=True, slots=True)
class RotaLine:
    event: Event
    people: list[User]
    unfilled: int  # places nobody available could take


@dataclass
class Rota:
    month: str
    lines: list[RotaLine] = field(default_factory=list)

    @property
    def asks(self) -> int:
        return sum(len(line.people) for line in self.lines)


def _likes(profile: FacilitatorProfile | None, event: Event) -> bool:
    return profile is not None and (
        event.theme in profile.themes or event.municipality in profile.municipalities
    )


def _has_room(profile: FacilitatorProfile | None, load: int) -> bool:
    return profile is None or profile.max_per_month is None or load < profile.max_per_month


def _overlaps(planned: list[Event], event: Event) -> bool:
    return any(
        other.starts_at < event.ends_at and other.ends_at > event.starts_at for other in planned
    )


async def current_rota(repo: Repo, month: str, *, now: datetime, tz: tzinfo) -> Rota:
    """The proposal, worked out inside the caller's transaction."""
    tables = await _tables(repo, month, now, tz)
    start, end = _window(month, now, tz)
    said = await repo.facilitators.available_by_day(start.date(), end.date())
    everyone = sorted({person for people in said.values() for person in people})
    load = await repo.facilitators.accepted_between(everyone, start, end)
    profiles = await repo.facilitators.profiles(everyone)
    waiting = await repo.facilitation.pending_counts([event.id for event in tables])
    planned: dict[int, list[Event]] = {}
    rota = Rota(month)
    for event in tables:
        places = event.facilitators_needed - event.facilitators_confirmed - waiting.get(event.id, 0)
        if places <= 0:
            continue
        free = said.get(local_day(event, tz), set())
        candidates = [
            person
            for person in await eligible(repo, event, tz=tz)
            if person.id in free
            and _has_room(profiles.get(person.id), load.get(person.id, 0))
            and not _overlaps(planned.get(person.id, []), event)
        ]
        candidates.sort(
            key=lambda person: (
                load.get(person.id, 0),
                not _likes(profiles.get(person.id), event),
                person.id,
            )
        )
        chosen = candidates[:places]
        for person in chosen:
            load[person.id] = load.get(person.id, 0) + 1
            planned.setdefault(person.id, []).append(event)
        rota.lines.append(RotaLine(event, chosen, places - len(chosen)))
    return rota


async def rota_of(repo: Repo, month: str, *, now: datetime, tz: tzinfo) -> Rota:
    async with repo.read():
        return await current_rota(repo, month, now=now, tz=tz)


async def send_rota(
    repo: Repo, month: str, *, coordinator_id: int, now: datetime, tz: tzinfo
) -> list[tuple[Event, User]]:
    """Send the proposal as it is now: a request to each person for their table, in one
    transaction. Whoever can no longer be asked (a new certificate rule, a new unavailable
    period, a yes elsewhere) is left out. Returns who was asked for which table."""
    asked: list[tuple[Event, User]] = []
    async with repo.write():
        rota = await current_rota(repo, month, now=now, tz=tz)
        for line in rota.lines:
            for person in line.people:
                try:
                    await ask_within(
                        repo,
                        event_id=line.event.id,
                        person=person,
                        coordinator_id=coordinator_id,
                        now=now,
                    )
                except FacilitationError as refused:
                    logger.info("rota: %s left out (%s)", person.id, type(refused).__name__)
                    continue
                asked.append((line.event, person))
        await audit.record(
            repo,
            actor_id=coordinator_id,
            action="facilitation.rota",
            target=f"month:{month}",
            details={"asked": len(asked)},
            now=now,
        )
    return asked


async def propose_rota(
    repo: Repo, *, now: datetime, tz: tzinfo, coordinator_chat_id: int | None = None
) -> int:
    """A week after the poll: the coordinators get next month's proposal (when there is
    anyone to ask). Returns how many were newly told."""
    month = month_after(now, tz)
    async with repo.write():
        if not (await current_rota(repo, month, now=now, tz=tz)).asks:
            return 0
        return await alert_coordinators(
            repo,
            key=f"{ROTA}:{month}",
            kind=ROTA,
            params={"month": month},
            now=now,
            coordinator_chat_id=coordinator_chat_id,
        )
