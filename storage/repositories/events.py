"""Reading and writing events and certificates. Never commits: the calling use-case does.
Registrations (seats, waitlist) live in `storage/repositories/registrations.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Integer, Select, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Certificate,
    DigestSubscription,
    Event,
    EventStatus,
    User,
)
from storage.repositories.event_counts import SEATS_OF_EVENT
from storage.upsert import insert_or_ignore, rows_touched
from storage.write_lock import BusyRow


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which upcoming events to list; None means "any"."""

    kind: str | None = None
    theme: str | None = None
    municipality: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None


# Read by every card and sign-up: built once, the event's id goes in as a parameter (composing
# the statement, as `Session.get` does each time, costs more than running it).
_BY_ID = select(Event).where(Event.id == bindparam("event_id"))
# Taken by every sign-up: built once, the event's id goes in as a parameter.
# The event row, locked until the transaction ends (PostgreSQL; on SQLite a plain read).
LOCK_EVENT = (
    select(Event)
    .where(Event.id == bindparam("event_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


# The lists of upcoming events (the agenda, its filters, the suggestions when an event is full)
# are built once for each combination of filters given, the values going in as parameters:
# composing such a statement costs more than running it (half a millisecond for the
# suggestions, on every sign-up for a full event).
_FILTERS = {
    "kind": Event.kind == bindparam("kind"),
    "theme": Event.theme == bindparam("theme"),
    "municipality": Event.municipality == bindparam("municipality"),
    "starts_after": Event.starts_at >= bindparam("starts_after"),
    "starts_before": Event.starts_at < bindparam("starts_before"),
}


def _filter_values(now: datetime, where: EventFilter) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The filters that are given (their names, in a fixed order) and the parameters."""
    params: dict[str, Any] = {name: value for name in _FILTERS if (value := getattr(where, name))}
    fields = tuple(params)
    params["now"] = now
    return fields, params


@cache
def _upcoming(fields: tuple[str, ...]) -> Select[Event]:
    return select(Event).where(
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at > bindparam("now"),
        *(_FILTERS[name] for name in fields),
    )


@cache
def _upcoming_count(fields: tuple[str, ...]) -> Select[int]:
    return select(func.count()).select_from(_upcoming(fields).subquery())


@cache
def _upcoming_page(fields: tuple[str, ...]) -> Select[Event]:
    return (
        _upcoming(fields)
        .order_by(Event.starts_at, Event.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )


@cache
def _upcoming_values(fields: tuple[str, ...], column: str) -> Select[Any]:
    return _upcoming(fields).with_only_columns(getattr(Event, column)).distinct()


@cache
def _upcoming_starts(fields: tuple[str, ...]) -> Select[datetime]:
    return _upcoming(fields).with_only_columns(Event.starts_at)


@cache
def _with_seats_left(fields: tuple[str, ...]) -> Select[Event]:
    now: BindParameter[datetime] = bindparam("now")
    return (
        _upcoming(fields)
        .where(Event.id != bindparam("exclude", type_=Integer), Event.capacity > SEATS_OF_EVENT)
        .where(Event.registration_deadline.is_(None) | (Event.registration_deadline > now))
        .order_by(Event.starts_at, Event.id)
        .limit(bindparam("limit", type_=Integer))
    )


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, event_id: int) -> Event | None:
        result = await self._session.execute(_BY_ID, {"event_id": event_id})
        return result.scalars().first()

    @staticmethod
    def row(event_id: int) -> BusyRow:
        """The event's row as a write that will `lock` it names it, when a crowd may do so at
        the same moment (`Repo.write`'s `busy_row`)."""
        return ("events", event_id)

    async def lock(self, event_id: int) -> Event | None:
        """The event row, locked until the transaction ends (PostgreSQL; SQLite's write lock,
        taken by `Repo.write`, already serialises writers)."""
        result = await self._session.execute(LOCK_EVENT, {"event_id": event_id})
        return result.scalars().first()

    async def add(self, event: Event) -> Event:
        self._session.add(event)
        await self._session.flush()
        return event

    async def upcoming(
        self, now: datetime, where: EventFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[Event], int]:
        """A page of upcoming published events, soonest first, and how many there are in all."""
        fields, params = _filter_values(now, where)
        total = await self._session.scalar(_upcoming_count(fields), params)
        result = await self._session.execute(
            _upcoming_page(fields), {**params, "limit": limit, "offset": offset}
        )
        return list(result.scalars()), int(total or 0)

    async def upcoming_values(
        self, now: datetime, column: str, where: EventFilter | None = None
    ) -> list[str]:
        """The distinct themes or municipalities of upcoming published events (under `where`)."""
        fields, params = _filter_values(now, where or EventFilter())
        result = await self._session.execute(_upcoming_values(fields, column), params)
        return sorted(value for value in result.scalars() if value)

    async def upcoming_starts(self, now: datetime, where: EventFilter) -> list[datetime]:
        """When the upcoming published events (under `where`) start."""
        fields, params = _filter_values(now, where)
        return list((await self._session.execute(_upcoming_starts(fields), params)).scalars())

    async def with_seats_left(
        self, now: datetime, where: EventFilter, *, exclude: int, limit: int
    ) -> list[Event]:
        """Upcoming events still open for sign-up that have a free seat."""
        fields, params = _filter_values(now, where)
        result = await self._session.execute(
            _with_seats_left(fields), {**params, "exclude": exclude, "limit": limit}
        )
        return list(result.scalars())

    async def with_free_seats_starting(self, after: datetime, before: datetime) -> list[int]:
        """Published events starting in (after, before] with a seat nobody has, soonest first."""
        result = await self._session.execute(
            select(Event.id)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > after,
                Event.starts_at <= before,
                Event.capacity > SEATS_OF_EVENT,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return list(result.scalars())

    async def published_between(self, start: datetime, end: datetime, now: datetime) -> list[Event]:
        """Events published in [start, end) that have not started yet (for the digest)."""
        result = await self._session.execute(
            select(Event)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.published_at >= start,
                Event.published_at < end,
                Event.starts_at > now,
            )
            .order_by(Event.starts_at, Event.id)
        )
        return list(result.scalars())

    # Certificates ----------------------------------------------------------------------------

    async def certificate_levels(self, user_id: int) -> set[str]:
        result = await self._session.execute(
            select(Certificate.level).where(Certificate.user_id == user_id)
        )
        return set(result.scalars())

    async def certificates_of(self, user_id: int) -> dict[str, datetime]:
        """Level → when it was (last) granted."""
        result = await self._session.execute(
            select(Certificate.level, Certificate.granted_at).where(Certificate.user_id == user_id)
        )
        return {str(level): granted for level, granted in result.all()}

    async def renew_certificate(
        self, user_id: int, level: str, event_id: int | None, now: datetime
    ) -> bool:
        """A certificate held already counts again from `now` (a new training of its level)."""
        result = await self._session.execute(
            update(Certificate)
            .where(
                Certificate.user_id == user_id,
                Certificate.level == level,
                Certificate.granted_at < now,
            )
            .values(granted_at=now, event_id=event_id)
        )
        return rows_touched(result) > 0

    async def lapsing_between(
        self, start: datetime, end: datetime, level: str, validity: timedelta
    ) -> list[tuple[Certificate, User]]:
        """Certificates of `level` whose validity ends between `start` and `end`."""
        result = await self._session.execute(
            select(Certificate, User)
            .join(User, User.id == Certificate.user_id)
            .where(
                Certificate.level == level,
                Certificate.granted_at > start - validity,
                Certificate.granted_at <= end - validity,
            )
            .order_by(Certificate.granted_at, Certificate.id)
        )
        return [(certificate, user) for certificate, user in result.all()]

    async def all_certificates(self) -> list[tuple[Certificate, User]]:
        result = await self._session.execute(
            select(Certificate, User)
            .join(User, User.id == Certificate.user_id)
            .order_by(Certificate.granted_at, Certificate.id)
        )
        return [(certificate, user) for certificate, user in result.all()]

    async def grant_certificate(
        self, user_id: int, level: str, event_id: int, now: datetime
    ) -> bool:
        return await insert_or_ignore(
            self._session,
            Certificate,
            {"user_id": user_id, "level": level, "event_id": event_id, "granted_at": now},
        )

    async def revoke_certificate(
        self, user_id: int, level: str, *, granted_by_event: int | None = None
    ) -> bool:
        """Take a certificate back; with `granted_by_event`, only the one that event granted.
        True when one was taken back."""
        statement = delete(Certificate).where(
            Certificate.user_id == user_id, Certificate.level == level
        )
        if granted_by_event is not None:
            statement = statement.where(Certificate.event_id == granted_by_event)
        return rows_touched(await self._session.execute(statement)) > 0

    # Digest subscriptions ------------------------------------------------------------------

    async def subscription(self, user_id: int) -> DigestSubscription | None:
        return await self._session.get(DigestSubscription, user_id)

    async def ensure_subscription(self, user_id: int, now: datetime) -> DigestSubscription:
        await insert_or_ignore(
            self._session,
            DigestSubscription,
            {
                "user_id": user_id,
                "active": False,
                "themes": [],
                "municipalities": [],
                "updated_at": now,
            },
        )
        subscription = await self._session.get(DigestSubscription, user_id, populate_existing=True)
        assert subscription is not None
        return subscription

    async def active_subscriptions(self) -> Sequence[DigestSubscription]:
        result = await self._session.execute(
            select(DigestSubscription)
            .where(DigestSubscription.active.is_(True))
            .order_by(DigestSubscription.user_id)
        )
        return result.scalars().all()

    async def initiatives_published_between(self, start: datetime, end: datetime) -> list[Any]:
        """Initiatives that became public in [start, end) and still are (for the digest)."""
        from storage.models.initiatives import Initiative, InitiativeStatus

        result = await self._session.execute(
            select(Initiative)
            .where(
                Initiative.status == InitiativeStatus.PUBLISHED,
                Initiative.published_at >= start,
                Initiative.published_at < end,
            )
            .order_by(Initiative.published_at, Initiative.id)
        )
        return list(result.scalars())

    async def events_by_ids(self, ids: Sequence[int]) -> list[Event]:
        if not ids:
            return []
        result = await self._session.execute(
            select(Event).where(Event.id.in_(list(ids))).order_by(Event.starts_at, Event.id)
        )
        return list(result.scalars())

    async def initiative_names(self, ids: Sequence[int]) -> list[tuple[int, str, str | None]]:
        """(id, name, municipality) of published initiatives, for the digest."""
        if not ids:
            return []
        from storage.models.initiatives import Initiative, InitiativeStatus

        result = await self._session.execute(
            select(Initiative.id, Initiative.name, Initiative.municipality)
            .where(
                Initiative.id.in_(list(ids)),
                Initiative.status == InitiativeStatus.PUBLISHED,
            )
            .order_by(Initiative.name)
        )
        return [(row[0], row[1], row[2]) for row in result]

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(Event)) or 0)
