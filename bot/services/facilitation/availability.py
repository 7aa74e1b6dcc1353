"""A facilitator's own settings (`/beschikbaarheid`): periods in which they cannot lead tables,
their favourite themes and municipalities, and at most how many tables a month.

Typed periods: "24-12" (one day) or "24-12 tot 2-1" (days inclusive; also "t/m", "to", "-").
A date without a year is the next one to come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.catalog.municipalities import match_municipality
from bot.catalog.themes import THEMES
from bot.services.facilitation.pool import FacilitationError
from storage.models import Event, FacilitationRequest, FacilitatorProfile, Unavailability
from storage.repositories import Repo

MAX_DAYS = 366
MAX_PER_MONTH = 20
_DATE = r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?"
_PERIOD = re.compile(rf"^\s*{_DATE}\s*(?:(?:tot en met|t/m|tot|to|until|till|-|–)\s*{_DATE})?\s*$")


class BadPeriodError(FacilitationError):
    """Not a date or a period we can read, or one in the past or too long."""


class BadMaximumError(FacilitationError):
    """Not a whole number from 1 to 20."""


class UnknownChoiceError(FacilitationError):
    """A theme or municipality we do not know; `word` says which."""

    def __init__(self, word: str) -> None:
        super().__init__("unknown choice")
        self.word = word


@dataclass(frozen=True, slots=True)
class Settings:
    profile: FacilitatorProfile
    periods: list[Unavailability]


def _day(day: str, month: str, year: str | None, today: date) -> date:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return date(full, int(month), int(day))
    found = date(today.year, int(month), int(day))
    return found if found >= today else date(today.year + 1, int(month), int(day))


def parse_period(text: str, *, now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the typed days (local midnights)."""
    match = _PERIOD.match(text.lower())
    if match is None:
        raise BadPeriodError(text)
    today = now.astimezone(tz).date()
    try:
        first = _day(match.group(1), match.group(2), match.group(3), today)
        last = first
        if match.group(4):
            last = _day(match.group(4), match.group(5), match.group(6), first)
    except ValueError as problem:
        raise BadPeriodError(text) from problem
    if last < first or last < today or (last - first).days > MAX_DAYS:
        raise BadPeriodError(text)
    start = datetime.combine(first, time(), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
    return start, end


async def settings(repo: Repo, user_id: int, *, now: datetime) -> Settings:
    async with repo.write():
        profile = await repo.facilitators.profile(user_id, now)
        periods = await repo.facilitators.unavailability(user_id, now)
    return Settings(profile, periods)


async def add_period(
    repo: Repo, user_id: int, text: str, *, now: datetime, tz: tzinfo
) -> tuple[Unavailability, list[tuple[FacilitationRequest, Event]]]:
    """Store an unavailable period; also returns the tables they lead in it (to reconsider)."""
    start, end = parse_period(text, now=now, tz=tz)
    async with repo.write():
        period = await repo.facilitators.add_unavailability(user_id, start, end, now)
        clashes = [
            (request, event)
            for request, event in await repo.facilitation.duties(user_id, now)
            if event.starts_at < end and event.ends_at > start
        ]
    return period, clashes


async def remove_period(repo: Repo, user_id: int, period_id: int) -> bool:
    async with repo.write():
        removed = await repo.facilitators.remove_unavailability(user_id, period_id)
    return removed


def _themes(words: list[str]) -> list[str]:
    found: list[str] = []
    for word in words:
        wanted = word.strip().lower()
        slug = next(
            (
                slug
                for slug, label in THEMES.items()
                if wanted in (slug, label.nl.lower(), label.en.lower())
            ),
            None,
        )
        if slug is None:
            raise UnknownChoiceError(word.strip())
        found.append(slug)
    return found


def _municipalities(words: list[str]) -> list[str]:
    found: list[str] = []
    for word in words:
        match = match_municipality(word)
        if match.found is None:
            raise UnknownChoiceError(word.strip())
        found.append(match.found.name)
    return found


async def set_preference(
    repo: Repo, user_id: int, what: str, text: str, *, now: datetime
) -> FacilitatorProfile:
    """`what` is "themes", "places" or "max"; "-" (or nothing) clears the preference."""
    words = [word for word in re.split(r"[,;]", text) if word.strip()]
    clear = not words or text.strip() == "-"
    themes = [] if clear or what != "themes" else _themes(words)
    places = [] if clear or what != "places" else _municipalities(words)
    maximum: int | None = None
    if what == "max" and not clear:
        if not text.strip().isdigit() or not 0 < int(text.strip()) <= MAX_PER_MONTH:
            raise BadMaximumError(text)
        maximum = int(text.strip())
    async with repo.write():
        profile = await repo.facilitators.profile(user_id, now)
        if what == "themes":
            profile.themes = themes
        elif what == "places":
            profile.municipalities = places
        else:
            profile.max_per_month = maximum
        profile.updated_at = now
    return profile
