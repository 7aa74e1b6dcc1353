"""iCalendar (RFC 5545) files of events: CRLF line endings, lines folded at 75 octets, text
escaped, times in Europe/Amsterdam with its VTIMEZONE (other zones: UTC times)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from storage.models import Event, EventStatus

PRODID = "-//Samenspel//Samenspel bot//NL"
_AMSTERDAM = "Europe/Amsterdam"
# The rules of Central European Time since 1996 (last Sunday of March / October).
_AMSTERDAM_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _time_property(name: str, moment: datetime, tz: ZoneInfo) -> str:
    if tz.key == _AMSTERDAM:
        local = moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        return f"{name};TZID={_AMSTERDAM}:{local}"
    return f"{name}:{_utc(moment)}"


def event_calendar(
    event: Event, *, now: datetime, tz: ZoneInfo, description: str = "", url: str = ""
) -> bytes:
    """A VCALENDAR with one VEVENT; `version` becomes SEQUENCE so calendars take changes."""
    location = ", ".join(part for part in (event.venue, event.address, event.municipality) if part)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    if tz.key == _AMSTERDAM:
        lines += _AMSTERDAM_VTIMEZONE
    lines += [
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@samenspel",
        f"DTSTAMP:{_utc(now)}",
        f"SEQUENCE:{max(event.version - 1, 0)}",
        _time_property("DTSTART", event.starts_at, tz),
        _time_property("DTEND", event.ends_at, tz),
        f"SUMMARY:{escape_text(event.title)}",
        f"LOCATION:{escape_text(location)}",
    ]
    text = description or event.description
    if text:
        lines.append(f"DESCRIPTION:{escape_text(text)}")
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    if url:
        lines.append(f"URL:{url}")
    cancelled = event.status == EventStatus.CANCELLED
    lines.append("STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
