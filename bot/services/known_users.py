"""People this process saw a moment ago, so that most updates need no database read to know
who is writing (their language, role and reachability).

- Bounded (least recently seen go first) and short-lived: a change made by another process
  (a new language, a role) is seen within `TTL` seconds; with several processes behind one
  webhook (`REDIS_URL` set) each committed change is announced to the others at once
  (`change_broadcast.py`), and `TTL` is only the safety net for an announcement that got lost.
  `SHARED_TTL` (a few seconds) is for several processes that can't announce.
- A coordinator's copy is never trusted: whether someone may take an admin action is read
  fresh, so a demotion holds at once in every process. It only tells that they exist
  (`remembered`), so that reading them is all their next update costs.
- Any change to a person in this process forgets them at once: an ORM change or deletion of a
  `User` in a transaction that commits, and any UPDATE or DELETE statement on the users table
  (which forgets everyone, as it may touch anyone).
"""

from __future__ import annotations

import math
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import Role, User

TTL = 60.0
SHARED_TTL = 5.0
_COLUMNS = tuple(User.__table__.columns)
CAPACITY = 50_000


class KnownUsers:
    def __init__(
        self,
        *,
        ttl: float = TTL,
        capacity: int = CAPACITY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._monotonic = monotonic
        self._people: OrderedDict[int, tuple[float, User]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, user_id: int) -> User | None:
        found = self._people.get(user_id)
        if found is None or self._monotonic() - found[0] > self.ttl:
            self.misses += 1
            return None
        self._people.move_to_end(user_id)
        self.hits += 1
        return found[1]

    def remembered(self, user_id: int) -> User | None:
        """The copy kept of the person, also when its time to live ran out (None when there is
        none): what they were like then, not what they are now."""
        found = self._people.get(user_id)
        return None if found is None else found[1]

    def keep(self, user: User) -> None:
        """Remember a copy of the person's row: a copy that belongs to no session, so nothing
        that happens to the session it came from (a rollback expires its objects) touches it."""
        copy = User(**{column.key: getattr(user, column.key) for column in _COLUMNS})
        # A coordinator's copy is kept as if it had run out at once: `get` never gives it.
        kept_at = -math.inf if user.role == Role.COORDINATOR else self._monotonic()
        self._people[user.id] = (kept_at, copy)
        self._people.move_to_end(user.id)
        while len(self._people) > self.capacity:
            self._people.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._people.pop(user_id, None)

    def forget_everyone(self) -> None:
        self._people.clear()

    def __len__(self) -> int:
        return len(self._people)


# Every cache of this process, told about changes by the session events below.
_CACHES: weakref.WeakSet[KnownUsers] = weakref.WeakSet()
# Who tells other processes about a committed change: called with the people, or None for
# "anyone" (a statement that may have touched any row).
Announcer = Callable[[frozenset[int] | None], None]
_ANNOUNCERS: list[Announcer] = []


def on_change(announcer: Announcer) -> Callable[[], None]:
    """Call `announcer` after every commit that changed people; returns a way to stop."""
    _ANNOUNCERS.append(announcer)
    return lambda: _ANNOUNCERS.remove(announcer) if announcer in _ANNOUNCERS else None


def forget_people(user_ids: Iterable[int]) -> None:
    """Every cache of this process forgets these people (another process changed them)."""
    _forget(set(user_ids))


def forget_everyone() -> None:
    for cache in _CACHES:
        cache.forget_everyone()


def _announce(user_ids: frozenset[int] | None) -> None:
    for announcer in list(_ANNOUNCERS):
        announcer(user_ids)


def register(cache: KnownUsers) -> KnownUsers:
    _CACHES.add(cache)
    return cache


def _forget(user_ids: set[int]) -> None:
    for cache in _CACHES:
        for user_id in user_ids:
            cache.forget(user_id)


@event.listens_for(Session, "after_flush")
def _users_flushed(session: Session, _context: Any) -> None:
    changed = {
        obj.id
        for obj in (*session.dirty, *session.deleted, *session.new)
        if isinstance(obj, User) and obj.id is not None
    }
    if changed:
        session.info.setdefault("changed_users", set()).update(changed)
        _forget(changed)  # at once: a read in this transaction must not see the old copy


@event.listens_for(Session, "after_commit")
def _users_committed(session: Session) -> None:
    changed = session.info.pop("changed_users", None)
    if session.info.pop("changed_anyone", False):
        forget_everyone()
        _announce(None)
    elif changed:
        _forget(changed)  # again: a read between flush and commit may have kept the old row
        _announce(frozenset(changed))


@event.listens_for(Session, "after_rollback")
def _users_rolled_back(session: Session) -> None:
    session.info.pop("changed_users", None)
    session.info.pop("changed_anyone", None)


@event.listens_for(Session, "do_orm_execute")
def _users_statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        getattr(mapper, "class_", None) is User for mapper in state.all_mappers
    ):
        forget_everyone()
        state.session.info["changed_anyone"] = True
