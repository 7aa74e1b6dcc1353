"""The periods the agenda (and a standing wish) can ask for, as short codes: this week ("w1"),
next week ("w2"), a month ("2703"), a day ("270328"). Short, so a button's data stays within
Telegram's 64 bytes. Pure functions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

THIS_WEEK, NEXT_WEEK = "w1", "w2"


def month_code(day: date) -> str:
    """ "2703" for March 2027: short, so a button's data stays within Telegram's 64 bytes."""
    return f"{day.year % 100:02d}{day.month:02d}"


def day_code(day: date) -> str:
    """ "270328" for 28 March 2027."""
    return f"{month_code(day)}{day.day:02d}"


def period_start(when: str) -> date | None:
    """The first day of a month code ("2703") or the day of a day code ("270328")."""
    if not when.isdigit() or len(when) not in (4, 6):
        return None
    try:
        return date(2000 + int(when[:2]), int(when[2:4]), int(when[4:6]) if len(when) == 6 else 1)
    except ValueError:
        return None


def period_window(now: datetime, tz: tzinfo, when: str) -> tuple[datetime | None, datetime | None]:
    """From when to when (local midnights) a period runs: this week ("w1") or next week ("w2")
    from Monday to Monday, a month ("2703"), a day ("270328"); anything else is any time."""
    if when in (THIS_WEEK, NEXT_WEEK):
        local = now.astimezone(tz)
        monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time(), tz)
        start = monday + timedelta(weeks=1 if when == NEXT_WEEK else 0)
        return start, start + timedelta(weeks=1)
    first = period_start(when)
    if first is None:
        return None, None
    if len(when) == 6:
        last = first + timedelta(days=1)
    else:
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(first, time(), tz), datetime.combine(last, time(), tz)
