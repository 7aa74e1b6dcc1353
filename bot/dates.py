"""Dates and times as people read them, in Dutch and English, in the bot's time zone.

Dutch: "di 3 dec, 19:30–21:30"; English: "Tue 3 Dec, 19:30–21:30". Own tables instead of the
locale database, so the short forms are exactly the ones people expect (no dots).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo

from aiogram.utils.i18n import get_i18n
from babel.dates import format_date

from bot.services.events.periods import period_start

_WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def language_of(locale: str) -> str:
    """The language of dates and numbers: "en" for English locales, else "nl"."""
    return "en" if locale.startswith("en") else "nl"


def format_day(moment: datetime, locale: str, tz: tzinfo) -> str:
    """ "di 3 dec" / "Tue 3 Dec"."""
    local = moment.astimezone(tz)
    language = language_of(locale)
    weekday = _WEEKDAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    return f"{weekday} {local.day} {month}"


def format_time(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M")


def format_moment(moment: datetime, locale: str, tz: tzinfo) -> str:
    """ "di 3 dec, 19:30"."""
    return f"{format_day(moment, locale, tz)}, {format_time(moment, tz)}"


def format_span(start: datetime, end: datetime, locale: str, tz: tzinfo) -> str:
    """ "di 3 dec, 19:30–21:30"; an event that runs past midnight names both days."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() == local_end.date():
        return f"{format_moment(start, locale, tz)}–{format_time(end, tz)}"
    return f"{format_moment(start, locale, tz)} – {format_moment(end, locale, tz)}"


def period_label(when: str, locale: str) -> str:
    """A month ("maart 2027" / "March 2027") or a day ("za 28 mrt") of the agenda's filter;
    "" for any other period."""
    first = period_start(when)
    if first is None:
        return ""
    if len(when) == 6:
        return format_day(datetime.combine(first, time(12)), locale, UTC)
    return format_date(first, "LLLL yyyy", locale=language_of(locale))


def long_date(moment: datetime, tz: tzinfo, locale: str | None = None) -> str:
    """ "3 maart 2027" / "3 March 2027", in `locale` or the language being spoken now."""
    if locale is None:
        try:
            locale = get_i18n().current_locale
        except LookupError:
            locale = "nl"
    return format_date(moment.astimezone(tz).date(), "d MMMM yyyy", locale=language_of(locale))
