"""Importing the coordinators' address file of initiatives (JSON or CSV) by `ref`.

A row is imported when its ref is new, updated when something differs, and otherwise left
alone, so importing the same file twice changes nothing. Every row is checked on its own: a bad
row is reported with its reason and the rest goes on. Imported profiles are published without
members; their consent is the coordinators' (source "import").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.catalog.municipalities import municipality_by_name
from bot.catalog.themes import THEMES
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import (
    MAX_KEYWORDS,
    MAX_THEMES,
    InvalidAnswerError,
    check_location,
    parse_email,
    parse_name,
    parse_phone,
    parse_telegram,
    parse_website,
)
from storage.models import Initiative, InitiativeStatus
from storage.repositories import Repo

_CONTACT_PARSERS = {
    "website": parse_website,
    "email": parse_email,
    "phone": parse_phone,
    "telegram": parse_telegram,
}
_COMPARED = (
    "name",
    "description",
    "themes",
    "municipality",
    "neighbourhood",
    "keywords",
    "lat",
    "lon",
    "website",
    "email",
    "phone",
    "telegram",
)


class ImportFileError(InitiativeError):
    """The file as a whole cannot be read (missing, not JSON/CSV, not a list of rows)."""


class RowError(InitiativeError, ValueError):
    pass


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (row, ref, reason)

    def summary(self) -> str:
        return (
            f"imported={self.imported} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={len(self.rejected)}"
        )


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, row) pairs; JSON arrays count from 1, CSV rows by their line (header = 1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path} is not valid JSON: {exc}") from None
        if not isinstance(data, list):
            raise ImportFileError(f"{path} must hold a JSON array of initiatives")
        return [(number, row) for number, row in enumerate(data, start=1)]
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise ImportFileError(f"{path} must be CSV with a header row that has an 'id' column")
    return [(number, dict(row)) for number, row in enumerate(reader, start=2)]


def _delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _list(row: dict[str, Any], name: str) -> list[str]:
    value = row.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _number(row: dict[str, Any], name: str) -> float | None:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise RowError(f"{name} is not a number: {value!r}") from None


def clean_row(row: Any) -> dict[str, Any]:
    """The profile fields of one row, checked; RowError says what is wrong."""
    if not isinstance(row, dict):
        raise RowError("not an object")
    values: dict[str, Any] = {}
    try:
        values["name"] = parse_name(_text(row, "name"))
    except InvalidAnswerError:
        raise RowError("name is missing or not 3 to 80 characters") from None
    description = " ".join(_text(row, "description").split())
    if not description or len(description) > 1000:
        raise RowError("description is missing or longer than 1000 characters")
    values["description"] = description
    themes = _list(row, "themes")
    unknown = [theme for theme in themes if theme not in THEMES]
    if unknown:
        raise RowError(f"unknown theme {unknown[0]!r}")
    if not 1 <= len(themes) <= MAX_THEMES:
        raise RowError(f"needs 1 to {MAX_THEMES} themes")
    values["themes"] = list(dict.fromkeys(themes))
    municipality = municipality_by_name(_text(row, "municipality"))
    if municipality is None:
        raise RowError(f"unknown municipality {_text(row, 'municipality')!r}")
    values["municipality"] = municipality.name
    neighbourhood = _text(row, "neighbourhood")
    if len(neighbourhood) > 80:
        raise RowError("neighbourhood is longer than 80 characters")
    values["neighbourhood"] = neighbourhood or None
    keywords = list(dict.fromkeys(_list(row, "keywords")))
    if len(keywords) > MAX_KEYWORDS or any(len(word) > 30 for word in keywords):
        raise RowError(f"at most {MAX_KEYWORDS} keywords of up to 30 characters")
    values["keywords"] = keywords
    lat, lon = _number(row, "lat"), _number(row, "lon")
    if (lat is None) != (lon is None):
        raise RowError("lat and lon must both be given, or neither")
    if lat is not None and lon is not None:
        try:
            location = check_location(lat, lon)
        except InvalidAnswerError:
            raise RowError("the location is outside the province of Utrecht") from None
        lat, lon = location.lat, location.lon
    values["lat"], values["lon"] = lat, lon
    for name, parse in _CONTACT_PARSERS.items():
        raw = _text(row, name)
        try:
            values[name] = parse(raw) if raw else None
        except InvalidAnswerError:
            raise RowError(f"{name} is not valid: {raw!r}") from None
    return values


async def import_initiatives(
    repo: Repo, rows: list[tuple[int, dict[str, Any]]], *, now: datetime
) -> ImportReport:
    """Import or update every valid row by ref, in one transaction."""
    report = ImportReport()
    async with repo.write():
        refs = [_text(row, "id") for _number_, row in rows if isinstance(row, dict)]
        existing = await repo.initiatives.by_refs([ref for ref in refs if ref])
        seen: set[str] = set()
        for number, row in rows:
            ref = _text(row, "id") if isinstance(row, dict) else ""
            try:
                if not ref or len(ref) > 64:
                    raise RowError("id is missing or longer than 64 characters")
                if ref in seen:
                    raise RowError("this id appears more than once in the file")
                values = clean_row(row)
            except RowError as error:
                report.rejected.append((number, ref, str(error)))
                continue
            seen.add(ref)
            initiative = existing.get(ref)
            if initiative is None:
                await repo.initiatives.add(new_imported(ref, values, now))
                report.imported += 1
            elif any(getattr(initiative, name) != values[name] for name in _COMPARED):
                for name in _COMPARED:
                    setattr(initiative, name, values[name])
                initiative.updated_at = now
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def new_imported(ref: str, values: dict[str, Any], now: datetime) -> Initiative:
    return Initiative(
        ref=ref,
        **values,
        status=InitiativeStatus.PUBLISHED,
        consent_at=now,
        consent_source="import",
        published_at=now,
        last_confirmed_at=now,
        created_at=now,
        updated_at=now,
    )
