"""How a wish on the flexible waitlist reads: when it is made, and in /mijnagenda."""

from __future__ import annotations

import html
from datetime import timedelta, tzinfo

from babel.dates import format_date

from bot.dates import language_of
from bot.i18n import _
from bot.labels import kind_label, level_label
from bot.services.events.wishes import WishSpec
from storage.models import StandingWish


def _period(spec: WishSpec | StandingWish, whole_month: bool, locale: str, tz: tzinfo) -> str:
    first = spec.starts_after.astimezone(tz).date()
    language = language_of(locale)
    if whole_month:
        return format_date(first, "LLLL yyyy", locale=language)
    last = (spec.starts_before - timedelta(days=1)).astimezone(tz).date()
    return _("{first} to {last}").format(
        first=format_date(first, "d MMM", locale=language),
        last=format_date(last, "d MMM", locale=language),
    )


def wish_line(wish: WishSpec | StandingWish, locale: str, tz: tzinfo) -> str:
    """ "every dialogue table in Utrecht, 9 mrt to 15 mrt"."""
    whole_month = bool(wish.level)
    period = _period(wish, whole_month, locale, tz)
    if wish.level:
        return _("every training {level}, {period}").format(
            level=level_label(wish.level), period=period
        )
    return _("every {kind} in {place}, {period}").format(
        kind=kind_label(wish.kind).lower(),
        place=html.escape(wish.municipality or ""),
        period=period,
    )


def wish_added_text(spec: WishSpec, added: bool, locale: str, tz: tzinfo) -> str:
    line = wish_line(spec, locale, tz)
    if not added:
        return _("That was on your list already: {wish}.").format(wish=line)
    return _(
        "🔔 On your list: {wish}. When a seat at one of these frees up, or a new one comes, "
        "you'll hear it at once. See your list in /myagenda."
    ).format(wish=line)
