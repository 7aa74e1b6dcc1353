"""The audience of a broadcast: a union of segments, kept as a small JSON spec.

{"everyone": true} or any combination of: "facilitators", "members" (initiative members),
"certificates" (facilitators with one of these certificates), "themes", "municipalities",
"events" (participants) and "waitlists" (people on an event's waitlist).
"""

from __future__ import annotations

from typing import Any

from bot.catalog.municipalities import MUNICIPALITIES
from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.services.coordination.errors import CoordinationError

FLAGS = ("everyone", "facilitators", "members")
LISTS = ("certificates", "themes", "municipalities", "events", "waitlists")
LEVELS = ("basis", "kinder", "spannend")


class BadAudienceError(CoordinationError, ValueError):
    """A segment or value that does not exist (e.g. forged button data)."""


def is_empty(spec: dict[str, Any]) -> bool:
    return not any(spec.get(flag) for flag in FLAGS) and not any(spec.get(name) for name in LISTS)


def toggle(spec: dict[str, Any], segment: str, value: str = "") -> dict[str, Any]:
    """The spec with one segment (or one value of a list segment) switched on or off."""
    result: dict[str, Any] = {
        key: (list(val) if isinstance(val, list) else val) for key, val in spec.items()
    }
    if segment in FLAGS:
        result[segment] = not result.get(segment, False)
        if not result[segment]:
            del result[segment]
        return result
    if segment not in LISTS:
        raise BadAudienceError(segment)
    item: str | int = _checked(segment, value)
    values: list[Any] = result.get(segment, [])
    if item in values:
        values.remove(item)
    else:
        values.append(item)
    if values:
        result[segment] = values
    else:
        result.pop(segment, None)
    return result


def _checked(segment: str, value: str) -> str | int:
    if segment == "certificates" and value in LEVELS:
        return value
    if segment == "themes" and value in THEMES:
        return value
    if segment == "municipalities" and value in {m.name for m in MUNICIPALITIES}:
        return value
    if segment in ("events", "waitlists") and value.isdigit():
        return int(value)
    raise BadAudienceError(f"{segment}={value}")


def describe(spec: dict[str, Any], locale: str) -> str:
    """The audience in words, in the current language, e.g. "facilitators, theme Ouderen"."""
    parts: list[str] = []
    if spec.get("everyone"):
        parts.append(_("everyone"))
    if spec.get("facilitators"):
        parts.append(_("facilitators"))
    for level in spec.get("certificates") or []:
        parts.append(_("facilitators with certificate {level}").format(level=level.title()))
    if spec.get("members"):
        parts.append(_("initiative members"))
    for theme in spec.get("themes") or []:
        label = THEMES[theme].label(locale) if theme in THEMES else theme
        parts.append(_("theme {theme}").format(theme=label))
    for place in spec.get("municipalities") or []:
        parts.append(_("municipality {name}").format(name=place))
    for event_id in spec.get("events") or []:
        parts.append(_("participants of event {number}").format(number=event_id))
    for event_id in spec.get("waitlists") or []:
        parts.append(_("waitlist of event {number}").format(number=event_id))
    return ", ".join(parts) if parts else _("nobody yet")
