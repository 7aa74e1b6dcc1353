"""A facilitator's availability (/beschikbaarheid): the periods they can't lead a table, their
favourite themes and municipalities, their monthly maximum, and how to change them."""

from __future__ import annotations

import html
from datetime import timedelta, tzinfo

from bot.dates import format_day
from bot.i18n import _
from bot.labels import theme_label
from bot.services.facilitation.availability import Settings


def availability_text(mine: Settings, locale: str, tz: tzinfo) -> str:
    lines = ["🗓 <b>" + _("My availability") + "</b>", ""]
    if mine.periods:
        lines.append(_("Not available:"))
        for number, period in enumerate(mine.periods, start=1):
            first = format_day(period.starts_at, locale, tz)
            last = format_day(period.ends_at - timedelta(seconds=1), locale, tz)
            lines.append(f"{number}. {first}" + (f" – {last}" if last != first else ""))
    else:
        lines.append(_("You haven't marked any period as unavailable."))
    profile = mine.profile
    themes = ", ".join(theme_label(slug, locale) for slug in profile.themes) or _("any")
    places = ", ".join(html.escape(str(place)) for place in profile.municipalities) or _("any")
    maximum = (
        _("{count} tables").format(count=profile.max_per_month)
        if profile.max_per_month
        else _("no maximum")
    )
    lines += [
        "",
        "🏷 " + _("Favourite themes: {themes}").format(themes=themes),
        "📍 " + _("Favourite municipalities: {places}").format(places=places),
        "🔢 " + _("At most a month: {maximum}").format(maximum=maximum),
        "",
        _("Add a period: <code>/availability 24-12 tot 2-1</code>"),
        _("Themes: <code>/availability thema ouderen, wonen</code>"),
        _("Municipalities: <code>/availability gemeente Utrecht, Zeist</code>"),
        _("At most a month: tap a number below (∞ = no maximum)."),
    ]
    return "\n".join(lines)
