"""Certificates as coordinators see them: who holds which, and until when it counts."""

from __future__ import annotations

import html
from datetime import datetime, tzinfo

from bot.catalog.certificates import RENEWAL_NOTICE
from bot.dates import long_date
from bot.i18n import _, ngettext
from bot.labels import level_label
from bot.services.facilitation.renewals import Holding

MAX_LISTED = 60


def _line(holding: Holding, now: datetime, tz: tzinfo) -> str:
    values = {
        "name": html.escape(holding.name),
        "level": level_label(holding.level),
        "date": long_date(holding.valid_until, tz),
    }
    if holding.valid_until <= now:
        return "⚠️ " + _("{name}: {level}, lapsed on {date}").format(**values)
    mark = "⏳ " if holding.valid_until <= now + RENEWAL_NOTICE else "• "
    return mark + _("{name}: {level}, until {date}").format(**values)


def certificates_text(holdings: list[Holding], *, now: datetime, tz: tzinfo) -> str:
    """Lapsed ones marked ⚠️, those lapsing within 60 days ⏳, soonest first."""
    if not holdings:
        return _("Nobody has a certificate yet. Record one with /certify.")
    lines = ["🎓 <b>" + _("Certificates and until when they count") + "</b>", ""]
    lines += [_line(holding, now, tz) for holding in holdings[:MAX_LISTED]]
    hidden = len(holdings) - MAX_LISTED
    if hidden > 0:
        lines.append(
            ngettext("…and {count} more.", "…and {count} more.", hidden).format(count=hidden)
        )
    return "\n".join(lines)


def certify_usage() -> str:
    return _(
        "Add the person and the certificate (basis, kinder or spannend), for example: "
        "<code>/certify @fatima kinder</code>"
    )


def revoke_usage() -> str:
    return _(
        "Add the person, the certificate (basis, kinder or spannend) and the reason, for "
        "example: <code>/revoke @fatima kinder recorded by mistake</code>"
    )


def certified_text(name: str, level: str, *, granted: bool) -> str:
    """After /certificeer: the certificate recorded, or already there."""
    text = (
        _("🎓 {name} now has the certificate {level}.")
        if granted
        else _("{name} already had the certificate {level}.")
    )
    return text.format(name=html.escape(name), level=level_label(level))


def revoked_text(name: str, level: str, *, revoked: bool) -> str:
    """After /intrekken: the certificate taken back, or it was not there."""
    text = (
        _("🎓 The certificate {level} of {name} is taken back. I've told {name}, with the reason.")
        if revoked
        else _("{name} doesn't have the certificate {level}.")
    )
    return text.format(name=html.escape(name), level=level_label(level))
