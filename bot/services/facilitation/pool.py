"""Facilitation rules shared by requests and open calls: which certificate a table needs, who
may be asked, the coordinator's overview of a table, certificates granted by hand. The
escalation lives in `facilitation_escalation.py`.

Requests and answers live in `facilitation_requests.py`, open calls in `open_calls.py`,
debriefs in `debriefs.py`, unavailable periods and preferences in `availability.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.catalog.certificates import granted_after, valid_until
from bot.services.coordination import audit
from bot.services.events.certificates import tell_certificate_revoked
from bot.services.events.registrations import EventNotFoundError
from storage.models import (
    Event,
    EventKind,
    EventStatus,
    FacilitationRequest,
    TrainingLevel,
    User,
)
from storage.repositories import Repo

logger = logging.getLogger(__name__)

LEVELS = tuple(level.value for level in TrainingLevel)
LEVEL_WORDS = {"basis": "basis", "basic": "basis", "kinder": "kinder", "kids": "kinder"}
LEVEL_WORDS |= {"children": "kinder", "spannend": "spannend", "tense": "spannend"}
MAX_NEEDED = 5


class FacilitationError(Exception):
    """A facilitation action that cannot be done; the subclass says why."""


class UnknownPersonError(FacilitationError):
    pass


class NotAFacilitatorError(FacilitationError):
    def __init__(self, user: User) -> None:
        super().__init__("not a facilitator")
        self.name = user.first_name  # read now: the object expires with the rollback


class MissingCertificateError(FacilitationError):
    def __init__(self, user: User, level: str) -> None:
        super().__init__("missing certificate")
        self.name = user.first_name  # read now: the object expires with the rollback
        self.level = level


class LapsedCertificateError(FacilitationError):
    """The certificate the table needs is no longer valid at the table's time."""

    def __init__(self, user: User, level: str, lapses_at: datetime) -> None:
        super().__init__("lapsed certificate")
        self.name = user.first_name  # read now: the object expires with the rollback
        self.level = level
        self.lapses_at = lapses_at


class UnavailableError(FacilitationError):
    def __init__(self, user: User) -> None:
        super().__init__("unavailable")
        self.name = user.first_name  # read now: the object expires with the rollback


class UnreachableError(FacilitationError):
    """The person blocked the bot: a request would never arrive."""

    def __init__(self, user: User) -> None:
        super().__init__("unreachable")
        self.name = user.first_name


class AlreadyAskedError(FacilitationError):
    def __init__(self, user: User, status: str) -> None:
        super().__init__("already asked")
        self.name = user.first_name  # read now: the object expires with the rollback
        self.status = status


class NoFacilitatorNeededError(FacilitationError):
    """Not a table that needs facilitators, or it has them all already."""


class EventOverError(FacilitationError):
    """The table has started or is over."""


class UnknownLevelError(FacilitationError):
    pass


def required_level(event: Event) -> str:
    """The certificate a facilitator of this table needs (Basis unless set otherwise)."""
    return event.facilitator_level or TrainingLevel.BASIS.value


def is_level(word: str) -> bool:
    return word.strip().lower() in LEVEL_WORDS


def parse_level(word: str) -> str:
    level = LEVEL_WORDS.get(word.strip().lower())
    if level is None:
        raise UnknownLevelError(word)
    return level


def revocation_parts(args: str) -> tuple[str, str, str] | None:
    """ "<person> <level> <reason>" read into the person (any number of words before the first
    level named after them), the level and the reason; None when one of them is missing."""
    words = args.split()
    level_at = next((i for i, word in enumerate(words) if i > 0 and is_level(word)), None)
    if level_at is None or level_at == len(words) - 1:
        return None
    return " ".join(words[:level_at]), parse_level(words[level_at]), " ".join(words[level_at + 1 :])


async def find_person(repo: Repo, target: int | str) -> User:
    """A person by Telegram id, @username, or the first name of exactly one facilitator."""
    if isinstance(target, int):
        found = await repo.users.get(target)
    else:
        text = target.strip()
        if text.lstrip("-").isdigit():
            found = await repo.users.get(int(text))
        elif text.startswith("@"):
            found = await repo.users.by_username(text)
        else:
            found = await repo.facilitators.facilitator_by_first_name(text)
    if found is None:
        raise UnknownPersonError(str(target))
    return found


async def open_table(repo: Repo, event_id: int, now: datetime) -> Event:
    """The table, locked for this transaction, that can still get facilitators."""
    event = await repo.events.lock(event_id)
    if event is None or event.status != EventStatus.PUBLISHED:
        raise EventNotFoundError(event_id)
    if event.starts_at <= now:
        raise EventOverError(str(event_id))
    if event.facilitators_needed <= 0:
        raise NoFacilitatorNeededError(str(event_id))
    return event


async def check_can_be_asked(repo: Repo, event: Event, person: User) -> None:
    """Refuses with the reason: not a facilitator, unreachable, no certificate, unavailable, or
    already asked."""
    if not person.is_facilitator:
        raise NotAFacilitatorError(person)
    if not person.is_reachable:
        raise UnreachableError(person)
    level = required_level(event)
    granted = (await repo.events.certificates_of(person.id)).get(level)
    if granted is None:
        raise MissingCertificateError(person, level)
    if granted <= granted_after(level, event.starts_at):
        raise LapsedCertificateError(person, level, valid_until(level, granted))
    if await repo.facilitators.is_unavailable(person.id, event.starts_at, event.ends_at):
        raise UnavailableError(person)
    active = await repo.facilitation.active_request(event.id, person.id)
    if active is not None:
        raise AlreadyAskedError(person, active.status)


@dataclass(frozen=True, slots=True)
class TableOverview:
    """A table as the coordinator sees it: who was asked, and whom they could ask."""

    event: Event
    level: str
    requests: list[tuple[FacilitationRequest, User]]
    candidates: list[User]


async def overview(repo: Repo, event_id: int, *, now: datetime) -> TableOverview:
    async with repo.read():
        event = await repo.events.get(event_id)
        if event is None or event.status == EventStatus.DRAFT:
            raise EventNotFoundError(event_id)
        level = required_level(event)
        requests = await repo.facilitation.requests_for_event(event_id)
        # Whoever said no (or withdrew) for this table is not offered again.
        asked = {user.id for request, user in requests if request.status != "filled"}
        candidates = [
            person
            for person in await repo.facilitators.candidates(
                event, level, granted_after(level, event.starts_at)
            )
            if person.id not in asked
        ]
        profiles = await repo.facilitators.profiles([person.id for person in candidates])

    def likes(person: User) -> bool:
        profile = profiles.get(person.id)
        return profile is not None and (
            event.theme in profile.themes or event.municipality in profile.municipalities
        )

    # Who likes the table's theme or municipality first; otherwise least recently asked first.
    candidates.sort(key=lambda person: not likes(person))
    return TableOverview(event, level, requests, candidates)


async def configure(
    repo: Repo,
    event_id: int,
    *,
    actor_id: int,
    now: datetime,
    level: str | None = None,
    needed_change: int = 0,
) -> Event:
    """A coordinator sets the certificate a table needs, or how many facilitators."""
    async with repo.write():
        event = await repo.events.lock(event_id)
        if event is None or event.status == EventStatus.DRAFT:
            raise EventNotFoundError(event_id)
        details: dict[str, object] = {}
        if level is not None:
            if level not in LEVELS:
                raise UnknownLevelError(level)
            event.facilitator_level = level
            details["level"] = level
        if needed_change:
            lowest = max(event.facilitators_confirmed, 0 if event.kind != EventKind.TABLE else 1)
            event.facilitators_needed = min(
                max(event.facilitators_needed + needed_change, lowest), MAX_NEEDED
            )
            details["needed"] = event.facilitators_needed
        event.updated_at = now
        await audit.record(
            repo, actor_id=actor_id, action="facilitation.configure", target=f"event:{event_id}",
            details=details, now=now,
        )  # fmt: skip
    return event


async def grant_certificate(
    repo: Repo, *, actor_id: int, target: int | str, level: str, now: datetime
) -> tuple[User, bool]:
    """/certificeer: a coordinator grants a certificate; (person, newly granted)."""
    async with repo.write():
        person = await find_person(repo, target)
        granted = await repo.facilitators.grant_certificate(person.id, level, now)
        if not granted:  # held already: it counts again from today
            granted = await repo.events.renew_certificate(person.id, level, None, now)
        if granted:
            await audit.record(
                repo, actor_id=actor_id, action="certificate.grant", target=f"user:{person.id}",
                details={"level": level}, now=now,
            )  # fmt: skip
    return person, granted


async def revoke_certificate(
    repo: Repo, *, actor_id: int, target: int | str, level: str, reason: str, now: datetime
) -> tuple[User, bool]:
    """/intrekken: a coordinator takes a certificate back, with a reason; the person is told
    and the log keeps who, what and why. (person, taken back)."""
    async with repo.write():
        person = await find_person(repo, target)
        revoked = await repo.events.revoke_certificate(person.id, level)
        if revoked:
            await audit.record(
                repo, actor_id=actor_id, action="certificate.revoke", target=f"user:{person.id}",
                details={"level": level, "reason": reason[:300]}, now=now,
            )  # fmt: skip
            await tell_certificate_revoked(repo, person.id, level, reason, now=now)
    return person, revoked
