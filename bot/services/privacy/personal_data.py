"""Self-service privacy: everything stored about a person as JSON, erasing them, and the
tombstones that keep an erased person erased after a backup is restored.

Export and erasure are generic: they walk every table for columns that hold a person (see
`storage.models.privacy`), so a table added later is covered without changes here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.config import DEFAULT_PRIVACY_SALT
from bot.services import outbox
from bot.services.coordination import audit
from bot.services.events import registrations as signups
from bot.services.initiatives.profiles import subject as initiative_subject
from storage.models.privacy import OnErase, PersonColumn, person_columns, text_columns
from storage.repositories import Repo
from storage.repositories.privacy import ERASED, Needles, plain

logger = logging.getLogger(__name__)

DEFAULT_SALT = DEFAULT_PRIVACY_SALT


def id_hash(user_id: int, salt: str) -> str:
    """The tombstone of a Telegram id: HMAC-SHA256 with a secret salt, so a stolen copy of
    the table does not say who asked to be erased."""
    return hmac.new(salt.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


@dataclass(slots=True)
class ErasureReport:
    """What an erasure did, in counts only (it is logged)."""

    initiatives_deleted: int = 0
    initiatives_left: int = 0
    seats_given_back: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    mentions_scrubbed: int = 0
    user_deleted: bool = False


# Export.


async def export_data(repo: Repo, user_id: int, *, now: datetime) -> bytes:
    """Everything stored about `user_id`, as an indented UTF-8 JSON document."""
    async with repo.read():
        profile = await repo.users.get(user_id)
        needles = _needles(user_id, profile)
        columns = person_columns()
        person_ids = {id(pc.column) for pc in columns}
        tables: dict[str, list[dict[str, Any]]] = {}
        seen: set[tuple[str, tuple[Any, ...]]] = set()
        for pc in columns:
            for row in await repo.privacy.rows_of(pc.column, user_id):
                _add(tables, seen, pc.table.name, pc.table, row, user_id, person_ids)
        related: dict[str, list[dict[str, Any]]] = {}
        for pc in columns:  # what the person's rows point at: the event, the initiative …
            for column in pc.table.columns:
                for fk in column.foreign_keys:
                    target = fk.column
                    if target.table.name == "users":
                        continue
                    values = sorted(
                        {r[column.name] for r in tables.get(pc.table.name, [])} - {None}
                    )
                    for row in await repo.privacy.rows_where(target, values):
                        _add(
                            related, seen, target.table.name, target.table, row, user_id, person_ids
                        )
        mentions: dict[str, list[dict[str, Any]]] = {}
        for column in text_columns():
            for row in await repo.privacy.rows_mentioning(column, _id_only(needles)):
                if _contains(row[column.name], needles):
                    _add(mentions, seen, column.table.name, column.table, row, user_id, person_ids)
    document = {
        "exported_at": now.isoformat(),
        "telegram_user_id": user_id,
        "profile": {k: plain(v) for k, v in _row(profile).items()} if profile else None,
        "your_rows": tables,
        "what_they_are_about": related,
        "where_you_are_mentioned": mentions,
    }
    logger.info("data export made with %s tables", len(tables))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _row(model: Any) -> dict[str, Any]:
    return {column.key: getattr(model, column.key) for column in model.__table__.columns}


def _add(
    into: dict[str, list[dict[str, Any]]],
    seen: set[tuple[str, tuple[Any, ...]]],
    name: str,
    table: Any,
    row: dict[str, Any],
    user_id: int,
    person_ids: set[int],
) -> None:
    key = (name, tuple(row[c.name] for c in table.primary_key.columns))
    if key in seen:
        return
    seen.add(key)
    shown = {}
    for column in table.columns:
        value = row[column.name]
        if id(column) in person_ids and value not in (None, user_id):
            value = "someone else"  # other people's ids are theirs, not part of this export
        shown[column.name] = plain(value)
    into.setdefault(name, []).append(shown)


# Erasure.


async def erase_user(
    repo: Repo, user_id: int, *, now: datetime, salt: str = DEFAULT_SALT
) -> ErasureReport:
    """Erase `user_id`: their open seats are given back (so the waitlist moves up), then in one
    transaction their own initiatives go, shared ones stay without them, every row about them
    is deleted or loses the link, mentions are scrubbed, and a tombstone is written."""
    report = ErasureReport()
    for event_id in await repo.privacy.open_seat_events(user_id):
        try:
            await signups.cancel(repo, event_id, user_id, now=now)
            report.seats_given_back += 1
        except (signups.EventNotFoundError, signups.EventNotOpenError, signups.NotRegisteredError):
            pass  # started or over: the row is anonymised below
    async with repo.write():
        profile = await repo.users.get(user_id)
        needles = _needles(user_id, profile)
        for initiative_id, role, others, other_owners in await repo.privacy.memberships(user_id):
            if others == 0:
                await outbox.cancel_subject(repo, initiative_subject(initiative_id), now=now)
                initiative = await repo.initiatives.get(initiative_id, for_update=True)
                if initiative is not None:
                    await repo.initiatives.delete(initiative)
                report.initiatives_deleted += 1
            else:
                if role == "owner" and other_owners == 0:
                    await repo.privacy.promote_longest_member(initiative_id, user_id)
                report.initiatives_left += 1
        for pc in _deletes_first(person_columns()):
            count = await repo.privacy.erase_column(pc, user_id)
            if count:
                name = f"{pc.table.name}.{pc.column.name}"
                report.rows[name] = report.rows.get(name, 0) + count
        report.mentions_scrubbed = await _scrub_mentions(repo, needles)
        report.user_deleted = await repo.privacy.delete_user(user_id)
        await repo.privacy.add_tombstone(id_hash(user_id, salt), now)
        await audit.record(
            repo,
            actor_id=None,
            action="privacy.erase",
            target="",
            details={"initiatives_deleted": report.initiatives_deleted},
            now=now,
        )
    if not await repo.privacy.flush_deleted_bytes():
        logger.warning("after an erasure the database log could not be emptied yet")
    logger.info(
        "a person was erased: %s initiatives deleted, %s left, %s rows, %s mentions",
        report.initiatives_deleted,
        report.initiatives_left,
        sum(report.rows.values()),
        report.mentions_scrubbed,
    )
    return report


def _deletes_first(columns: list[PersonColumn]) -> list[PersonColumn]:
    """Deleting rows before unlinking others spares work (cascades) and keeps FKs happy."""
    return sorted(columns, key=lambda pc: pc.on_erase is not OnErase.DELETE)


async def _scrub_mentions(repo: Repo, needles: Needles) -> int:
    scrubbed = 0
    for column in text_columns():
        for row in await repo.privacy.rows_mentioning(column, needles):
            value = row[column.name]
            cleaned = _scrub(value, needles)
            if cleaned != value:
                if cleaned == "" and column.nullable:
                    cleaned = None
                await repo.privacy.set_value(column, row, cleaned)
                scrubbed += 1
    return scrubbed


async def enforce_tombstones(repo: Repo, *, now: datetime, salt: str = DEFAULT_SALT) -> int:
    """Erase again every person whose row is older than their tombstone: a restored backup
    brought them back. Someone who came back after erasure has a newer row and stays."""
    async with repo.read():
        tombstones = await repo.privacy.tombstones()
        users = await repo.privacy.users_created() if tombstones else []
    back = [
        user_id
        for user_id, created_at in users
        if (erased_at := tombstones.get(id_hash(user_id, salt))) and created_at < erased_at
    ]
    for user_id in back:
        await erase_user(repo, user_id, now=now, salt=salt)
    if back:
        logger.warning("%s erased people were found again (restored backup?) and erased", len(back))
    return len(back)


# Recognising a person in text and JSON.


def _needles(user_id: int, profile: Any) -> Needles:
    names: list[str] = []
    if profile is not None:
        first, last = profile.first_name or "", profile.last_name or ""
        names = [n for n in (first, last, f"{first} {last}".strip()) if len(n) >= 2]
    username = profile.username if profile is not None and profile.username else None
    return Needles(user_id, username, tuple(dict.fromkeys(names)))


def _id_only(needles: Needles) -> Needles:
    return Needles(needles.user_id, None, ())


def _patterns(needles: Needles) -> list[re.Pattern[str]]:
    patterns = [re.compile(rf"(?<!\d){needles.user_id}(?!\d)")]
    if needles.username:
        patterns.append(re.compile(rf"(?<![\w@])@?{re.escape(needles.username)}(?!\w)", re.I))
    return patterns


def _contains(value: Any, needles: Needles) -> bool:
    return bool(_scrub(value, needles) != value)


def _scrub(value: Any, needles: Needles) -> Any:
    """`value` with the person taken out: ids, @username, and JSON strings that are their name."""
    if isinstance(value, str):
        for pattern in _patterns(needles):
            value = pattern.sub(ERASED, value)
        return "" if value.strip() == ERASED else value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return None if value == needles.user_id else value
    if isinstance(value, list):
        return [_scrub_json(item, needles) for item in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, needles) for k, v in value.items()}
    return value


def _scrub_json(value: Any, needles: Needles) -> Any:
    if isinstance(value, str) and value.strip() in needles.names:
        return ERASED
    return _scrub(value, needles)
