"""Dates and times as coordinators type them, read the same way everywhere an event's moment
is asked (new event, change of time)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.events.inputs import WhenError, parse_when

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)  # a Friday morning


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("10-12 19:30-21:30", "2026-12-10 19:30", "2026-12-10 21:30"),
        ("10 dec 19:30-21:30", "2026-12-10 19:30", "2026-12-10 21:30"),
        ("do 10 december 19.30 tot 21.30", "2026-12-10 19:30", "2026-12-10 21:30"),
        ("morgen 19:30", "2026-12-05 19:30", "2026-12-05 21:30"),
        ("tomorrow 10:00-11:30", "2026-12-05 10:00", "2026-12-05 11:30"),
        ("2027-03-28 10:00-12:00", "2027-03-28 10:00", "2027-03-28 12:00"),
        ("za 19u-21u", "2026-12-05 19:00", "2026-12-05 21:00"),
        ("zaterdag 14u30-16u", "2026-12-05 14:30", "2026-12-05 16:00"),
        ("3 maart 19:30-21:30", "2027-03-03 19:30", "2027-03-03 21:30"),
        ("10-12 22:00-01:00", "2026-12-10 22:00", "2026-12-11 01:00"),
        ("10/12/2026 19:30 - 21:30", "2026-12-10 19:30", "2026-12-10 21:30"),
    ],
)
def test_moments_as_people_write_them(typed: str, start: str, end: str) -> None:
    begins, ends = parse_when(typed, now=NOW, tz=TZ)
    assert begins.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == start
    assert ends.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == end


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("10-12 19:30-18:00", "end_before_start"),
        ("vr 10 december 19:30-21:30", "weekday"),
        ("1-12-2026 19:30-21:30", "past"),
        ("31-2 10:00-11:00", "format"),
        ("ergens volgende week", "format"),
        ("10-12", "format"),
    ],
)
def test_what_cant_be_used_says_why(typed: str, reason: str) -> None:
    with pytest.raises(WhenError) as raised:
        parse_when(typed, now=NOW, tz=TZ)
    assert raised.value.reason == reason
