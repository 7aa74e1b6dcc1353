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
from storage.repositories.privacy import ERASED, Needles, name_forms, plain

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
    """Everything stored about `user_id`, as an indented UTF-8 JSON document. Nothing in it
    identifies anyone else: columns that hold another person say "someone else", and their
    ids, usernames and names are taken out of every text and JSON value (keys, parameters,
    audit details)."""
    async with repo.read():
        profile = await repo.users.get(user_id)
        needles = _needles(user_id, profile)
        columns = person_columns()
        person_ids = {id(pc.column) for pc in columns}
        export = _Export(user_id, person_ids)
        tables: dict[str, list[dict[str, Any]]] = {}
        for pc in columns:
            for row in await repo.privacy.rows_of(pc.column, user_id):
                export.add(tables, pc.table, row)
        related: dict[str, list[dict[str, Any]]] = {}
        for pc in columns:  # what the person's rows point at: the event, the initiative …
            for column in pc.table.columns:
                for fk in column.foreign_keys:
                    target = fk.column
                    if target.table.name == "users":
                        continue
                    values = sorted(
                        {r[column.name] for r in export.raw.get(pc.table.name, [])} - {None}
                    )
                    for row in await repo.privacy.rows_where(target, values):
                        export.add(related, target.table, row)
        mentions: dict[str, list[dict[str, Any]]] = {}
        for column in text_columns():
            for row in await repo.privacy.rows_mentioning(column, _id_only(needles)):
                if _contains(row[column.name], needles):
                    export.add(mentions, column.table, row)
        others = [
            other
            for other in await repo.privacy.people(export.other_ids())
            if other.user_id != user_id
        ]
    redact = _Redactor(others, keep=needles)
    document = {
        "exported_at": now.isoformat(),
        "telegram_user_id": user_id,
        "profile": {k: plain(v) for k, v in _row(profile).items()} if profile else None,
        "your_rows": redact.tables(tables),
        "what_they_are_about": redact.tables(related),
        "where_you_are_mentioned": redact.tables(mentions),
    }
    logger.info("data export made with %s tables", len(tables))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _row(model: Any) -> dict[str, Any]:
    return {column.key: getattr(model, column.key) for column in model.__table__.columns}


SOMEONE_ELSE = "someone else"
_NUMBER = re.compile(r"(?<!\d)\d{1,19}(?!\d)")


class _Export:
    """The rows of one export, each once, with other people's person columns masked, and
    every number in their text and JSON remembered (it may be someone's Telegram id)."""

    def __init__(self, user_id: int, person_ids: set[int]) -> None:
        self.user_id = user_id
        self._person_ids = person_ids
        self._seen: set[tuple[str, tuple[Any, ...]]] = set()
        self._numbers: set[int] = set()
        self.raw: dict[str, list[dict[str, Any]]] = {}

    def add(self, into: dict[str, list[dict[str, Any]]], table: Any, row: dict[str, Any]) -> None:
        key = (table.name, tuple(row[c.name] for c in table.primary_key.columns))
        if key in self._seen:
            return
        self._seen.add(key)
        self.raw.setdefault(table.name, []).append(row)
        shown = {}
        for column in table.columns:
            value = row[column.name]
            if id(column) in self._person_ids and value not in (None, self.user_id):
                self._numbers.add(int(value))
                value = SOMEONE_ELSE  # other people's ids are theirs, not part of this export
            elif isinstance(value, str | list | dict):
                self._remember_numbers(value)
            shown[column.name] = plain(value)
        into.setdefault(table.name, []).append(shown)

    def _remember_numbers(self, value: Any) -> None:
        if isinstance(value, str):
            self._numbers.update(int(n) for n in _NUMBER.findall(value))
        elif isinstance(value, bool):
            return
        elif isinstance(value, int):
            self._numbers.add(value)
        elif isinstance(value, list):
            for item in value:
                self._remember_numbers(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._remember_numbers(key)
                self._remember_numbers(item)

    def other_ids(self) -> list[int]:
        return sorted(n for n in self._numbers - {self.user_id} if -(2**63) <= n < 2**63)


class _Redactor:
    """Takes other people out of exported values: their ids, @usernames and names."""

    def __init__(self, others: list[Needles], *, keep: Needles) -> None:
        self._ids = {other.user_id for other in others}
        own_names = {name.casefold() for name in keep.names}
        words: set[str] = set()
        for other in others:
            words.update(n for n in other.names if n.casefold() not in own_names)
            if other.username and other.username != keep.username:
                words.add(other.username)
        self._patterns = []
        if words:
            alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            self._patterns.append(re.compile(rf"(?<![\w@])@?(?:{alternatives})(?!\w)", re.I))
        if self._ids:
            numbers = "|".join(str(i) for i in sorted(self._ids))
            self._patterns.append(re.compile(rf"(?<!\d)(?:{numbers})(?!\d)"))

    def tables(self, tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {name: [self._row(row) for row in rows] for name, rows in tables.items()}

    def _row(self, row: dict[str, Any]) -> dict[str, Any]:
        """Text and JSON values are searched; a number column is an id of its own kind."""
        return {k: self.value(v) if isinstance(v, str | list | dict) else v for k, v in row.items()}

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            for pattern in self._patterns:
                value = pattern.sub(SOMEONE_ELSE, value)
            return value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return SOMEONE_ELSE if value in self._ids else value
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        return value


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
    if profile is None:
        return Needles(user_id, None, ())
    names = name_forms(profile.first_name, profile.last_name)
    return Needles(user_id, profile.username or None, names)


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
