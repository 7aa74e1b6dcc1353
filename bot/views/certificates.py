"""Certificates as coordinators see them: who holds which, and until when it counts."""

from __future__ import annotations

import html
from datetime import datetime, tzinfo

from bot.catalog.certificates import RENEWAL_NOTICE
from bot.i18n import _, ngettext
from bot.services.facilitation.renewals import Holding
from bot.views.dates import long_date
from bot.views.event_card import level_label

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
