"""Use-cases about the people who talk to the bot: first sight, language, reachability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import SUPPORTED_LOCALES
from bot.services.known_users import KnownUsers
from storage.models import Role, User
from storage.repositories import Repo

# Writing "last seen" on every update costs a write; once every few minutes is precise enough.
LAST_SEEN_PRECISION = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class TelegramPerson:
    """The fields of a Telegram user that we keep, independent of aiogram's types."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None


class UnsupportedLanguageError(ValueError):
    pass


async def see_user(
    repo: Repo,
    person: TelegramPerson,
    *,
    now: datetime,
    coordinator_ids: tuple[int, ...],
    recent: KnownUsers | None = None,
) -> User:
    """Record that a person used the bot; create them on first sight, keep names current.

    Most updates come from people seen a moment ago whose details did not change: those cost
    nothing (`recent`). Someone whose copy only grew too old to trust is read again: one read,
    and a write only when something changed meanwhile. Anyone else costs one statement that
    stores someone new or writes what changed of someone known (`UserRepository.record_sight`).
    """
    if recent is not None:
        seen = recent.get(person.id)
        if seen is not None and not _needs_update(seen, person, now, coordinator_ids):
            return seen
        earlier = recent.remembered(person.id)  # `seen`, or a copy too old to trust
        if earlier is not None and not _needs_update(earlier, person, now, coordinator_ids):
            async with repo.read():
                known = await repo.users.get(person.id)
            if known is not None and not _needs_update(known, person, now, coordinator_ids):
                recent.keep(known)
                return known
    async with repo.write_one():  # ended here: the handler's use-case has its own
        user = await repo.users.record_sight(
            person.id,
            first_name=person.first_name[:128],
            last_name=person.last_name[:128] if person.last_name else None,
            username=person.username,
            telegram_language=person.language_code,
            now=now,
            seen_before=now - LAST_SEEN_PRECISION,
            coordinator=person.id in coordinator_ids,
        )
    if recent is not None:
        recent.keep(user)
    return user


def _needs_update(
    user: User, person: TelegramPerson, now: datetime, coordinator_ids: tuple[int, ...]
) -> bool:
    stored = (user.first_name, user.last_name, user.username, user.telegram_language)
    fresh = (
        person.first_name[:128],
        person.last_name[:128] if person.last_name else None,
        person.username,
        person.language_code,
    )
    return (
        stored != fresh
        or now - user.last_seen_at >= LAST_SEEN_PRECISION
        or (person.id in coordinator_ids and user.role != Role.COORDINATOR)
    )


async def choose_language(repo: Repo, user: User, language: str) -> None:
    if language not in SUPPORTED_LOCALES:
        raise UnsupportedLanguageError(language)
    async with repo.write():
        stored = await repo.users.get(user.id)  # `user` may be this process's copy from before
        if stored is not None:
            stored.language = language
    user.language = language


async def mark_reachable(repo: Repo, user_id: int, reachable: bool, *, now: datetime) -> bool:
    """The user started or unblocked (True) or blocked (False) the bot; True when it changed."""
    async with repo.write():
        changed = await repo.users.set_reachable(user_id, reachable, now)
    return changed
