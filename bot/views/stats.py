"""Words of the /stats figures and chart: the period as people say it, and month labels."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.i18n import _
from bot.services.coordination.stats import Period
from bot.views.dates import language_of


def month_label(month: str, locale: str) -> str:
    """ "2026-03" as people read it: "mrt 2026", "Mar 2026"."""
    first = date.fromisoformat(month + "-01")
    return format_date(first, "LLL yyyy", locale=language_of(locale)).replace(".", "")


def period_words(period: Period, locale: str) -> str:
    """The period as people say it: "all time", "2026", "March 2026", or two days."""
    first, last = period.first_day, period.last_day
    if (last - first).days > 3660:
        return _("all time")
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    if first.day == 1 and first.year == last.year and first.month == last.month:
        next_day = last.toordinal() + 1
        if date.fromordinal(next_day).day == 1:
            return format_date(first, "LLLL yyyy", locale=language_of(locale))
    return _("{first} to {last}").format(
        first=format_date(first, "d MMM yyyy", locale=language_of(locale)).replace(".", ""),
        last=format_date(last, "d MMM yyyy", locale=language_of(locale)).replace(".", ""),
    )
