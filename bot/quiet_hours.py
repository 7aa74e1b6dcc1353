"""The quiet hours (22:00–08:00 in the province): no message that can wait goes out then. A
module of its own, so the features that plan messages (a reminder the evening before) and the
sender that holds them back read the same hours without importing each other."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

# The quiet hours are the province's evening and night (Settings.timezone says the same).
PROVINCE_TIME = ZoneInfo("Europe/Amsterdam")
QUIET_START = time(22, 0)
QUIET_END = time(8, 0)


def quiet_hours_end(now: datetime, tz: ZoneInfo) -> datetime | None:
    """08:00 local time when `now` falls in the quiet hours (22:00–08:00), else None."""
    local = now.astimezone(tz)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=tz).astimezone(now.tzinfo)


def before_quiet_hours(moment: datetime, tz: tzinfo) -> datetime:
    """`moment`, or when it falls in the quiet hours, the last minute before they began (the
    evening before): a reminder that must not wait until 08:00 goes out early instead."""
    local = moment.astimezone(tz)
    if QUIET_END <= local.time() < QUIET_START:
        return moment
    day = local.date() if local.time() >= QUIET_START else local.date() - timedelta(days=1)
    evening = datetime.combine(day, QUIET_START, tzinfo=tz) - timedelta(minutes=1)
    return evening.astimezone(moment.tzinfo)
