"""Reading what coordinators type when they create or change an event: date and time, place,
number of seats. Pure functions; a `ValueError` means "ask again"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.catalog.municipalities import match_municipality

_WHEN = re.compile(
    r"^\s*(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})(?:[-/.](?P<year>\d{2,4}))?\s+"
    r"(?P<start>\d{1,2}[:.]\d{2})\s*(?:[-–—]|tot|to)\s*(?P<end>\d{1,2}[:.]\d{2})\s*$",
    re.IGNORECASE,
)
MAX_CAPACITY = 1000


@dataclass(frozen=True, slots=True)
class Place:
    venue: str
    address: str
    municipality: str


def _clock_time(text: str) -> time:
    hours, minutes = (int(part) for part in re.split(r"[:.]", text))
    return time(hours, minutes)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """ "10-3 19:30-21:30" or "10-03-2026 19:30–21:30" (local time) → UTC start and end.

    Without a year the first such date from today on is meant. The event must lie ahead.
    """
    match = _WHEN.match(text)
    if not match:
        raise ValueError("format")
    local_now = now.astimezone(tz)
    year = int(match["year"]) if match["year"] else local_now.year
    if year < 100:
        year += 2000
    day = date(year, int(match["month"]), int(match["day"]))
    if not match["year"] and day < local_now.date():
        day = date(year + 1, day.month, day.day)
    start_local = datetime.combine(day, _clock_time(match["start"]), tz)
    end_local = datetime.combine(day, _clock_time(match["end"]), tz)
    if end_local <= start_local:
        end_local += timedelta(days=1)  # runs past midnight
    start, end = start_local.astimezone(now.tzinfo), end_local.astimezone(now.tzinfo)
    if start <= now:
        raise ValueError("past")
    return start, end


def parse_place(text: str) -> Place:
    """ "Buurthuis De Pijler, Oudegracht 1, Utrecht": venue, optional address, municipality
    (one of the province's, typed names matched fuzzily: "Utreg" is Utrecht)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) < 2 or any(len(part) > 200 for part in parts):
        raise ValueError("place")
    found = match_municipality(parts[-1]).found
    if found is None:
        raise ValueError("municipality")
    return Place(parts[0], ", ".join(parts[1:-1]), found.name)


def parse_capacity(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise ValueError("capacity")
    return int(value)
