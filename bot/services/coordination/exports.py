"""CSV exports for coordinators (chat and `samenspel export`): initiatives, events,
registrations, debriefs and the audit log.

UTF-8 with a byte order mark and `;` between fields, so Dutch Excel opens the file with its
accents intact and its columns split. Times are shown in local time (Europe/Amsterdam).
Debriefs come from the facilitation feature (one row per table and facilitator).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.services.coordination import audit
from bot.services.coordination.errors import CoordinationError
from bot.services.coordination.stats import Period
from storage.models.events import SEAT_STATUSES
from storage.repositories import Repo

KINDS = ("initiatives", "events", "registrations", "debriefs", "feedback", "audit")
# Dutch words coordinators type for them.
_ALIASES = {
    "initiatieven": "initiatives",
    "activiteiten": "events",
    "evenementen": "events",
    "aanmeldingen": "registrations",
    "registraties": "registrations",
    "inschrijvingen": "registrations",
    "nabesprekingen": "debriefs",
    "reacties": "feedback",
    "beoordelingen": "feedback",
    "log": "audit",
    "logboek": "audit",
}


def kind_named(word: str) -> str | None:
    """The export a typed word asks for (English or Dutch), None when it names none."""
    kind = _ALIASES.get(word, word)
    return kind if kind in KINDS else None


COLUMNS: dict[str, tuple[str, ...]] = {
    "initiatives": (
        "id",
        "ref",
        "name",
        "status",
        "themes",
        "municipality",
        "neighbourhood",
        "website",
        "email",
        "phone",
        "telegram",
        "keywords",
        "latitude",
        "longitude",
        "members",
        "published_at",
        "last_confirmed_at",
        "created_at",
    ),
    "events": (
        "id",
        "kind",
        "status",
        "title",
        "level",
        "theme",
        "starts_at",
        "ends_at",
        "venue",
        "address",
        "municipality",
        "capacity",
        "seats_taken",
        "waitlisted",
        "attended",
        "no_show",
        "facilitators_needed",
        "facilitators_confirmed",
    ),
    "registrations": (
        "id",
        "event_id",
        "event_title",
        "event_starts_at",
        "user_id",
        "first_name",
        "status",
        "people",
        "waitlist_position",
        "late_cancellation",
        "signed_up_at",
        "cancelled_at",
    ),
    "debriefs": (
        "event_id",
        "event_title",
        "event_starts_at",
        "facilitator_id",
        "participants",
        "topics",
        "submitted_at",
    ),
    # Anonymous: no person; what they wrote only when they agreed to share it.
    "feedback": (
        "event_id",
        "event_title",
        "event_starts_at",
        "theme",
        "municipality",
        "rating",
        "comment",
        "created_at",
    ),
    "audit": ("id", "at", "actor_id", "action", "target", "details"),
}


class UnknownExportError(CoordinationError, ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CsvLanguage:
    """How a file speaks: its column names and the words for coded values (statuses, kinds,
    themes, yes/no, decimals). The chat passes the coordinator's language (see
    `bot.views.exports`); without one, the codes themselves are written."""

    header: Callable[[str], str] = str
    value: Callable[[str, object], object] = lambda _column, value: value


CODES = CsvLanguage()


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""


def _join(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)


async def rows(
    repo: Repo, kind: str, period: Period | None, *, tz: ZoneInfo
) -> list[Sequence[object]]:
    """The data rows (without header) of one export; `period` limits by event date (or the
    time of the audit entry); initiatives are always exported whole."""
    start = period.start if period else None
    end = period.end if period else None
    if kind == "initiatives":
        return [
            (
                i.id,
                i.ref or "",
                i.name,
                i.status,
                list(i.themes),
                i.municipality or "",
                i.neighbourhood or "",
                i.website or "",
                i.email or "",
                i.phone or "",
                i.telegram or "",
                _join(i.keywords),
                i.lat if i.lat is not None else "",
                i.lon if i.lon is not None else "",
                members,
                _when(i.published_at, tz),
                _when(i.last_confirmed_at, tz),
                _when(i.created_at, tz),
            )
            for i, members in await repo.exports.initiatives()
        ]
    if kind == "events":
        events = await repo.exports.events(start, end)
        counts = await repo.exports.seats_taken([event.id for event in events])
        result: list[Sequence[object]] = []
        for e in events:
            c = counts.get(e.id, {})
            result.append(
                (
                    e.id,
                    e.kind,
                    e.status,
                    e.title,
                    e.level or "",
                    e.theme or "",
                    _when(e.starts_at, tz),
                    _when(e.ends_at, tz),
                    e.venue,
                    e.address,
                    e.municipality,
                    e.capacity,
                    sum(c.get(s, 0) for s in SEAT_STATUSES),
                    c.get("waitlisted", 0),
                    c.get("attended", 0),
                    c.get("no_show", 0),
                    e.facilitators_needed,
                    e.facilitators_confirmed,
                )
            )
        return result
    if kind == "registrations":
        return [
            (
                r.id,
                e.id,
                e.title,
                _when(e.starts_at, tz),
                u.id,
                u.first_name,
                r.status,
                r.party_size,
                r.waitlist_position or "",
                bool(r.late_cancellation),
                _when(r.created_at, tz),
                _when(r.cancelled_at, tz),
            )
            for r, e, u in await repo.exports.registrations(start, end)
        ]
    if kind == "debriefs":
        return [
            (
                e.id,
                e.title,
                _when(e.starts_at, tz),
                d.facilitator_id or "",
                d.participants,
                d.topics,
                _when(d.submitted_at, tz),
            )
            for d, e in await repo.facilitators.debriefs(start, end)
        ]
    if kind == "feedback":
        return [
            (
                e.id,
                e.title,
                _when(e.starts_at, tz),
                e.theme or "",
                e.municipality,
                f.rating,
                f.comment if f.comment_shared else "",
                _when(f.created_at, tz),
            )
            for f, e in await repo.feedback.between(start, end)
        ]
    if kind == "audit":
        return [
            (
                a.id,
                _when(a.at, tz),
                a.actor_id or "",
                a.action,
                a.target,
                json.dumps(a.details, ensure_ascii=False, sort_keys=True),
            )
            for a in await repo.audit.between(start, end)
        ]
    raise UnknownExportError(kind)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe, so it is shown
    as the text it is; numbers, dates and everything else are written as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: object) -> object:
    """What is left after the language had its say: lists joined, yes/no for flags."""
    if isinstance(value, list):
        return _join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return value


def write_csv(
    out: TextIO, kind: str, data: Iterable[Sequence[object]], language: CsvLanguage = CODES
) -> None:
    """Every export (chat and command line) is written here, each cell through `safe_cell`."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = COLUMNS[kind]
    writer.writerow([language.header(column) for column in columns])
    writer.writerows(
        [
            safe_cell(_plain(language.value(column, value)))
            for column, value in zip(columns, row, strict=True)
        ]
        for row in data
    )


def to_bytes(kind: str, data: Iterable[Sequence[object]], language: CsvLanguage = CODES) -> bytes:
    """The CSV file: UTF-8 with BOM, `;`-separated, CRLF line ends."""
    buffer = io.StringIO()
    write_csv(buffer, kind, data, language)
    return buffer.getvalue().encode("utf-8-sig")


async def export(
    repo: Repo,
    kind: str,
    period: Period | None,
    *,
    actor_id: int | None,
    via: str,
    now: datetime,
    tz: ZoneInfo,
    language: CsvLanguage = CODES,
) -> tuple[bytes, int]:
    """One export: the bytes of the CSV file and its number of data rows. Personal data leaves
    the bot, so who took which export (in the chat or on the command line) is logged."""
    async with repo.write():
        if kind not in KINDS:
            raise UnknownExportError(kind)
        data = await rows(repo, kind, period, tz=tz)
        await audit.record(
            repo,
            actor_id=actor_id,
            action="export",
            target=kind,
            details={
                "via": via,
                "rows": len(data),
                "from": period.start.isoformat() if period else None,
                "until": period.end.isoformat() if period else None,
            },
            now=now,
        )
    return to_bytes(kind, data, language), len(data)


def filename(kind: str, now: datetime, tz: ZoneInfo) -> str:
    return f"samenspel-{kind}-{now.astimezone(tz).strftime('%Y-%m-%d')}.csv"
