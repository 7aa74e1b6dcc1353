"""Figures for funders (`/stats [period]`): participants, tables, locations, fill rate,
no-shows, … per period; and the periods coordinators can ask for.

Facilitator request answer rate, median answer time and the debriefs come from the
facilitation feature's requests and debriefs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.services.coordination.errors import CoordinationError
from bot.services.events import feedback as table_feedback
from bot.services.events.feedback import FeedbackFigures
from bot.services.initiatives.profiles import outdated_before
from storage.models import RegistrationStatus
from storage.repositories import Repo

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|/|—|–)(\d{4}-\d{2}-\d{2})$")

PERIOD_WORDS = {
    "month": "month",
    "maand": "month",
    "lastmonth": "lastmonth",
    "vorigemaand": "lastmonth",
    "year": "year",
    "jaar": "year",
    "lastyear": "lastyear",
    "vorigjaar": "lastyear",
    "all": "all",
    "alles": "all",
}


class BadPeriodError(CoordinationError, ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive
    first_day: date  # local
    last_day: date  # local, inclusive


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def span(first: date, after: date, tz: ZoneInfo) -> Period:
    return Period(
        _local_midnight(first, tz),
        _local_midnight(after, tz),
        first,
        date.fromordinal(after.toordinal() - 1),
    )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def parse_period(text: str | None, *, now: datetime, tz: ZoneInfo) -> Period:
    """ "2026", "2026-03", "2026-01-01..2026-03-31", month, lastmonth, year (default),
    lastyear, all — also in Dutch (maand, vorige maand, jaar, vorig jaar, alles)."""
    today = now.astimezone(tz).date()
    typed = (text or "year").strip().lower()
    if not re.search(r"\d", typed):
        typed = typed.replace(" ", "").replace("-", "")
    word = PERIOD_WORDS.get(typed)
    if word == "month":
        first = today.replace(day=1)
        return span(first, _next_month(first), tz)
    if word == "lastmonth":
        this_month = today.replace(day=1)
        first = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
        return span(first, this_month, tz)
    if word == "year":
        return span(date(today.year, 1, 1), date(today.year + 1, 1, 1), tz)
    if word == "lastyear":
        return span(date(today.year - 1, 1, 1), date(today.year, 1, 1), tz)
    if word == "all":
        return span(EPOCH.date(), date(today.year + 10, 1, 1), tz)
    try:
        if typed.isdigit() and len(typed) == 4:
            return span(date(int(typed), 1, 1), date(int(typed) + 1, 1, 1), tz)
        month = _MONTH_RE.match(typed)
        if month:
            first = date(int(month.group(1)), int(month.group(2)), 1)
            return span(first, _next_month(first), tz)
        ranged = _RANGE_RE.match(typed)
        if ranged:
            first, last = date.fromisoformat(ranged.group(1)), date.fromisoformat(ranged.group(2))
            if last >= first:
                return span(first, date.fromordinal(last.toordinal() + 1), tz)
    except ValueError:
        pass
    raise BadPeriodError(text or "")


@dataclass
class Figures:
    period: Period
    users_total: int = 0
    users_new: int = 0
    initiatives: int = 0
    initiatives_outdated: int = 0
    events: dict[str, int] = field(default_factory=dict)
    events_cancelled: int = 0
    registrations: int = 0  # seats taken
    waitlisted: int = 0
    cancelled: int = 0
    participants: int = 0
    capacity: int = 0
    promotions: int = 0
    attended: int = 0
    no_show: int = 0
    venues: int = 0
    municipalities: int = 0
    # Requests asked in the period: share answered, and the median hours to an answer.
    facilitator_answer_rate: float | None = None
    facilitator_median_answer_hours: float | None = None
    # Debriefs of tables in the period, and the people the facilitators counted there.
    debriefs: int = 0
    debrief_participants: int = 0
    # "Hoe was het gesprek?": stars given for tables held in the period.
    feedback: FeedbackFigures = field(default_factory=FeedbackFigures)

    @property
    def fill_rate(self) -> float | None:
        return self.registrations / self.capacity if self.capacity else None

    @property
    def attendance_rate(self) -> float | None:
        marked = self.attended + self.no_show
        return self.attended / marked if marked else None

    @property
    def no_show_rate(self) -> float | None:
        marked = self.attended + self.no_show
        return self.no_show / marked if marked else None


async def figures(repo: Repo, period: Period, *, now: datetime) -> Figures:
    async with repo.read():
        result = Figures(period)
        start, end = period.start, period.end
        result.users_total, result.users_new = await repo.stats.users(start, end)
        result.initiatives, result.initiatives_outdated = await repo.stats.initiatives(
            outdated_before(now)
        )
        result.events = await repo.stats.events_per_kind(start, end)
        result.events_cancelled = await repo.stats.cancelled_events(start, end)
        statuses = await repo.stats.registrations_by_status(start, end)
        result.attended = statuses.get(RegistrationStatus.ATTENDED, 0)
        result.no_show = statuses.get(RegistrationStatus.NO_SHOW, 0)
        result.registrations = (
            statuses.get(RegistrationStatus.CONFIRMED, 0) + result.attended + result.no_show
        )
        result.waitlisted = statuses.get(RegistrationStatus.WAITLISTED, 0)
        result.cancelled = statuses.get(RegistrationStatus.CANCELLED, 0)
        result.participants = await repo.stats.participants(start, end)
        result.capacity = await repo.stats.capacity(start, end)
        result.promotions = await repo.stats.promotions(start, end)
        result.venues, result.municipalities = await repo.stats.locations(start, end)
        await _facilitation_figures(repo, result)
        result.feedback = await table_feedback.figures(repo, start, end)
    return result


async def _facilitation_figures(repo: Repo, result: Figures) -> None:
    """Answer rate and median answer time of facilitator requests; debriefs."""
    start, end = result.period.start, result.period.end
    times = await repo.facilitation.answer_times(start, end)
    hours = sorted(spent for _status, spent in times if spent is not None)
    if times:
        result.facilitator_answer_rate = len(hours) / len(times)
    if hours:
        middle = len(hours) // 2
        result.facilitator_median_answer_hours = (
            hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
        )
    found = await repo.facilitators.debriefs(start, end)
    result.debriefs = len(found)
    result.debrief_participants = sum(debrief.participants for debrief, _event in found)


@dataclass(frozen=True, slots=True)
class MonthSeries:
    months: list[str]  # "2026-03"
    signups: list[int]
    attended: list[int]


async def monthly(repo: Repo, period: Period, *, tz: ZoneInfo) -> MonthSeries:
    """Sign-ups and attendance per month of the period ("all time": first to last month with
    data)."""
    async with repo.read():
        signups = Counter(
            moment.astimezone(tz).strftime("%Y-%m")
            for moment in await repo.stats.signup_times(period.start, period.end)
        )
        attended = Counter(
            moment.astimezone(tz).strftime("%Y-%m")
            for moment in await repo.stats.attendance_times(period.start, period.end)
        )
    seen = sorted(set(signups) | set(attended))
    first, last = period.first_day, period.last_day
    if (last - first).days > 3660:  # "all time": from the first to the last month with data
        if not seen:
            return MonthSeries([], [], [])
        first, last = date.fromisoformat(seen[0] + "-01"), date.fromisoformat(seen[-1] + "-01")
    months: list[str] = []
    day = first.replace(day=1)
    while day <= last and len(months) < 240:
        months.append(day.strftime("%Y-%m"))
        day = _next_month(day)
    return MonthSeries(
        months, [signups.get(m, 0) for m in months], [attended.get(m, 0) for m in months]
    )
