"""How search results look in the chat: the ranked list, nearby and similar lists, the contact
details of one initiative, and the short lines of an inline result."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.search import Listed
from bot.services.initiatives.profiles import is_outdated
from bot.services.search.discover import PAGE_SIZE, Filters, NearbyPage, ResultPage
from bot.views.initiative_card import public_contact_lines, theme_names
from storage.models import Initiative

SNIPPET_LENGTH = 90


def snippet(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The start of a description, cut at a word, as plain text."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"


def place_text(initiative: Listed) -> str:
    """Municipality · neighbourhood, plain text."""
    parts = [initiative.municipality or "", initiative.neighbourhood or ""]
    return " · ".join(part for part in parts if part)


def kilometres(distance: float, locale: str) -> str:
    """1.2 km in English, 1,2 km in Dutch; metres below one kilometre."""
    if distance < 1:
        return _("{metres} m").format(metres=max(10, round(distance * 100) * 10))
    text = f"{distance:.1f}"
    return (text if locale.startswith("en") else text.replace(".", ",")) + " km"


def _line(number: int, initiative: Listed, extra: str = "", *, now: datetime | None = None) -> str:
    """One initiative of a list; "possibly outdated" as on its card, so a list never hides
    what the card shows."""
    head = f"{number}. <b>{html.escape(initiative.name)}</b>"
    outdated = _("⚠️ possibly outdated") if now is not None and is_outdated(initiative, now) else ""
    details = " · ".join(part for part in (extra, place_text(initiative), outdated) if part)
    lines = [head + (f" — {html.escape(details)}" if details else "")]
    if initiative.description:
        lines.append(f"    <i>{html.escape(snippet(initiative.description))}</i>")
    return "\n".join(lines)


def filter_line(filters: Filters, locale: str) -> str:
    parts = []
    if filters.theme in THEMES:
        parts.append("🏷 " + THEMES[filters.theme].label(locale))
    if filters.municipality:
        parts.append("📍 " + html.escape(filters.municipality))
    return _("Only: {filters}").format(filters=" · ".join(parts)) if parts else ""


def results_text(
    query: str,
    page: ResultPage,
    filters: Filters,
    locale: str,
    *,
    typed_freely: bool = False,
    now: datetime | None = None,
) -> str:
    """The ranked list of one page, or a clear "nothing found" with what to try instead.
    Words typed outside search mode are said to have been taken as a search."""
    shown = html.escape(query) if query else _filter_title(filters, locale)
    if not page.items:
        if typed_freely:
            lines = [_("🔎 I searched for “{query}” but found nothing.").format(query=shown)]
        else:
            lines = [_("🔎 Nothing found for “{query}”.").format(query=shown)]
        only = filter_line(filters, locale)
        if only:
            lines += [only, "", _("Try it without the filter, or with other words.")]
        elif page.suggestions:
            lines += ["", _("Try other words, or look at one of these themes:")]
        else:
            lines += ["", _("Try other or fewer words, for example “moestuin” or “taalcafé”.")]
        return "\n".join(lines)
    if typed_freely:
        heading = _("🔎 <b>I searched for “{query}”</b> ({total})")
    else:
        heading = _("🔎 <b>Results for “{query}”</b> ({total})")
    lines = [heading.format(query=shown, total=page.total)]
    only = filter_line(filters, locale)
    if only:
        lines.append(only)
    lines.append("")
    first = page.page * PAGE_SIZE + 1
    lines += [_line(first + offset, item, now=now) for offset, item in enumerate(page.items)]
    lines += ["", _("Tap a result for more. Type other words to search again.")]
    return "\n".join(lines)


def _filter_title(filters: Filters, locale: str) -> str:
    if filters.theme in THEMES:
        return THEMES[filters.theme].label(locale)
    return html.escape(filters.municipality)


def nearby_text(
    page: NearbyPage, max_km: float, locale: str, *, now: datetime | None = None
) -> str:
    if not page.items:
        return _(
            "📍 I don't know any initiatives within {km} km of this place yet. "
            "Try /search with a word or a place name."
        ).format(km=int(max_km))
    lines = [_("📍 <b>Near you</b> ({total})").format(total=page.total), ""]
    first = page.page * PAGE_SIZE + 1
    for offset, (item, distance) in enumerate(page.items):
        lines.append(_line(first + offset, item, kilometres(distance, locale), now=now))
    lines += ["", _("Tap an initiative for more.")]
    return "\n".join(lines)


def similar_text(
    initiative: Listed, found: Sequence[Listed], *, now: datetime | None = None
) -> str:
    name = html.escape(initiative.name)
    if not found:
        return _("I don't know any initiatives like <b>{name}</b> yet.").format(name=name)
    lines = [_("🔁 <b>Like {name}</b>").format(name=name), ""]
    lines += [_line(number, item, now=now) for number, item in enumerate(found, start=1)]
    return "\n".join(lines)


def has_contact(initiative: Initiative) -> bool:
    """Public contact details the initiative agreed to show (its consent to be public)."""
    if initiative.consent_at is None:
        return False
    return any((initiative.website, initiative.email, initiative.phone, initiative.telegram))


def contact_text(initiative: Initiative) -> str:
    name = html.escape(initiative.name)
    if not has_contact(initiative):
        return _(
            "<b>{name}</b> has not shared contact details in Samenspel. "
            "Perhaps you can meet them at one of the meetups in /agenda."
        ).format(name=name)
    lines = [_("✉️ <b>Contact with {name}</b>").format(name=name), ""]
    lines += public_contact_lines(initiative)
    lines += ["", _("Mention that you found them through Samenspel!")]
    return "\n".join(lines)


def inline_description(initiative: Initiative, locale: str) -> str:
    """The grey line under an inline result: place and themes."""
    themes = theme_names(list(initiative.themes), locale)
    return " · ".join(part for part in (place_text(initiative), themes) if part)
