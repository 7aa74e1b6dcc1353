"""Reading what coordinators type when they create or change an event: date and time, place,
number of seats. Pure functions; a `ValueError` means "ask again"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.catalog.municipalities import match_municipality
from bot.services.events.periods import NEXT_WEEK, THIS_WEEK, day_code, month_code

MAX_CAPACITY = 1000


@dataclass(frozen=True, slots=True)
class Place:
    venue: str
    address: str
    municipality: str


_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2,
    "mrt": 3, "maart": 3, "mar": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "augustus": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "ma": 0, "maandag": 0, "mon": 0, "monday": 0, "di": 1, "dinsdag": 1, "tue": 1,
    "tuesday": 1, "wo": 2, "woensdag": 2, "wed": 2, "wednesday": 2, "do": 3, "donderdag": 3,
    "thu": 3, "thursday": 3, "vr": 4, "vrijdag": 4, "fri": 4, "friday": 4, "za": 5,
    "zaterdag": 5, "sat": 5, "saturday": 5, "zo": 6, "zondag": 6, "sun": 6, "sunday": 6,
}  # fmt: skip
_RELATIVE = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
_TIME = r"\d{1,2}(?:[:.u]\d{2}|u)?"
_TIMES = re.compile(
    rf"(?P<start>{_TIME})(?:\s*(?:[-–—]|tot|to|until)\s*(?P<end>{_TIME}))?\s*(?:uur)?\s*$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"^(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})(?:[-/.](?P<year>\d{2,4}))?$")
_ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
DEFAULT_LENGTH = timedelta(hours=2)  # when only a start time is given
LONGEST_OVERNIGHT = timedelta(hours=8)  # "22:00-01:00" runs past midnight; "19:30-18:00" doesn't


class WhenError(ValueError):
    """Why a typed moment can't be used: "format", "past", "weekday" or "end_before_start"."""

    def __init__(self, reason: str, **details: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def _clock_time(text: str) -> time:
    parts = re.split(r"[:.u]", text.lower())
    hours = int(parts[0])
    minutes = int(parts[1]) if len(parts) > 1 and parts[1] else 0
    return time(hours, minutes)


def _date(words: list[str], today: date) -> date:
    """The day in `words` (without the times): numeric, ISO, "10 dec", "do 10 december",
    "morgen", "zaterdag"."""
    weekday = None
    if words and words[0].rstrip(".,") in _WEEKDAYS:
        weekday = _WEEKDAYS[words[0].rstrip(".,")]
        words = words[1:]
    text = " ".join(words).strip(" ,")
    if not text and weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    year: int | None = None
    if match := _ISO_DATE.match(text):
        year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    elif match := _NUMERIC_DATE.match(text):
        day, month = int(match["day"]), int(match["month"])
        year = int(match["year"]) if match["year"] else None
    else:
        parts = text.replace(",", " ").split()
        if len(parts) not in (2, 3) or not parts[0].isdigit():
            raise WhenError("format")
        month = _MONTHS.get(parts[1].rstrip(".").lower(), 0)
        if not month or (len(parts) == 3 and not parts[2].isdigit()):
            raise WhenError("format")
        day, year = int(parts[0]), int(parts[2]) if len(parts) == 3 else None
    if year is not None and year < 100:
        year += 2000
    try:
        found = date(year or today.year, month, day)
        if year is None and found < today:
            found = date(today.year + 1, month, day)
    except ValueError:
        raise WhenError("format") from None
    if weekday is not None and found.weekday() != weekday:
        raise WhenError("weekday", day=found.isoformat())
    return found


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """A moment as people type it (local time) → UTC start and end: "10-3 19:30-21:30",
    "10 dec 19:30-21:30", "do 10 december 19.30 tot 21.30", "morgen 19:30" (two hours),
    "2027-03-28 10:00-12:00", "za 14u-16u". Without a year the first such date from today
    on is meant. The event must lie ahead; an end before the start is asked about (`WhenError`),
    unless it plainly runs past midnight ("22:00-01:00")."""
    cleaned = " ".join(text.lower().split())
    times = _TIMES.search(cleaned)
    if times is None:
        raise WhenError("format")
    local_now = now.astimezone(tz)
    day = _date(cleaned[: times.start()].split(), local_now.date())
    try:
        start_local = datetime.combine(day, _clock_time(times["start"]), tz)
        end_local = (
            datetime.combine(day, _clock_time(times["end"]), tz)
            if times["end"]
            else start_local + DEFAULT_LENGTH
        )
    except ValueError:
        raise WhenError("format") from None
    if end_local <= start_local:
        overnight = end_local + timedelta(days=1)
        if overnight - start_local > LONGEST_OVERNIGHT:
            raise WhenError(
                "end_before_start",
                start=start_local.strftime("%H:%M"),
                end=end_local.strftime("%H:%M"),
            )
        end_local = overnight  # runs past midnight
    start, end = start_local.astimezone(now.tzinfo), end_local.astimezone(now.tzinfo)
    if start <= now:
        raise WhenError("past")
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


TITLE_LENGTH = (3, 200)
MAX_DESCRIPTION = 2000


def check_title(text: str) -> str:
    """A title of 3 to 200 characters (else `ValueError("title")`)."""
    title = " ".join(text.split())
    if not TITLE_LENGTH[0] <= len(title) <= TITLE_LENGTH[1]:
        raise ValueError("title")
    return title


def check_description(text: str) -> str:
    """A description of at most 2000 characters; "-" for none (else `ValueError`)."""
    cleaned = text.strip()
    if len(cleaned) > MAX_DESCRIPTION:
        raise ValueError("description")
    return "" if cleaned == "-" else cleaned


def parse_capacity(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise ValueError("capacity")
    return int(value)


_DURATION = re.compile(
    r"(?P<amount>\d+)\s*(?P<unit>weken|week|weeks|w|dagen|dag|days|day|d|uren|uur|hours|hour|u|h|"
    r"minuten|minuut|minutes|minute|min|m)\b",
    re.IGNORECASE,
)
_DURATION_FILLER = re.compile(
    r"\b(?:en|and|van tevoren|tevoren|vooraf|ervoor|daarvoor|voor|before|in advance|"
    r"vóór|het begin|the start|begin|start)\b|[,;+&/]",
    re.IGNORECASE,
)
_UNIT_MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "u": 60, "h": 60, "m": 1}
_NONE = {"-", "geen", "none", "nee", "no", "niks", "nothing"}
REMINDER_RANGE = (10, 14 * 24 * 60)  # minutes before the start
MAX_REMINDERS = 3


def _durations(text: str) -> list[int]:
    """ "1 dag en 2 uur", "24u, 2u", "90 min van tevoren" → minutes each; `ValueError` when
    anything else is typed."""
    found = [
        int(match["amount"]) * _UNIT_MINUTES[match["unit"][0].lower()]
        for match in _DURATION.finditer(text)
    ]
    rest = _DURATION_FILLER.sub(" ", _DURATION.sub(" ", text)).strip(" .!")
    if not found or rest:
        raise ValueError("duration")
    return found


def parse_reminders(text: str) -> list[int]:
    """When reminders go out, in minutes before the start: "1 dag en 2 uur", "24u, 2u",
    "3 uur"; "-" or "geen" for none. At most three, each from 10 minutes to 14 days."""
    cleaned = " ".join(text.lower().split())
    if cleaned in _NONE:
        return []
    minutes = _durations(cleaned)
    if len(set(minutes)) > MAX_REMINDERS or not all(
        REMINDER_RANGE[0] <= m <= REMINDER_RANGE[1] for m in minutes
    ):
        raise ValueError("reminders")
    return sorted(set(minutes), reverse=True)


def parse_moment_before(
    text: str, *, starts_at: datetime, now: datetime, tz: tzinfo
) -> datetime | None:
    """A moment before the event (a registration deadline, a cancellation cut-off): a day and
    a time ("9-12 18:00", "morgen 12:00") or how long before the start ("2 dagen", "24 uur van
    tevoren"); "-" for none. `WhenError` when it can't be read or has passed."""
    cleaned = " ".join(text.lower().split())
    if cleaned in _NONE:
        return None
    try:
        moment = starts_at - timedelta(minutes=sum(_durations(cleaned)))
    except ValueError:
        moment, _end = parse_when(cleaned, now=now, tz=tz)
    if moment <= now:
        raise WhenError("past")
    return moment


_THIS_WEEK = {"deze week", "this week"}
_NEXT_WEEK = {"volgende week", "next week", "komende week"}


def parse_period(text: str, *, now: datetime, tz: tzinfo) -> str:
    """A period to list the agenda for, as typed after /agenda: "maart", "maart 2027",
    "10 dec", "morgen", "zaterdag", "deze week", "volgende week" → a period code (see
    `browse.period_window`); `ValueError` when it can't be read."""
    cleaned = " ".join(text.lower().replace(",", " ").split())
    if cleaned in _THIS_WEEK:
        return THIS_WEEK
    if cleaned in _NEXT_WEEK:
        return NEXT_WEEK
    today = now.astimezone(tz).date()
    words = cleaned.split()
    if words and words[0].rstrip(".") in _MONTHS and len(words) <= 2:
        month = _MONTHS[words[0].rstrip(".")]
        if len(words) == 2:
            if not words[1].isdigit():
                raise ValueError("period")
            year = int(words[1]) + (2000 if len(words[1]) == 2 else 0)
        else:
            year = today.year + (1 if month < today.month else 0)
        if not 2000 <= year <= 2099:
            raise ValueError("period")
        return month_code(date(year, month, 1))
    return day_code(_date(words, today))
