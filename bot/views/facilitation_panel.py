"""The coordinators' facilitation panel of a table, and why a request or an open call for a
table cannot be made (naming the table where it matters)."""

from __future__ import annotations

import html

from bot.config import Settings
from bot.dates import format_span, long_date
from bot.i18n import N_, _
from bot.labels import level_label
from bot.quiet_hours import PROVINCE_TIME
from bot.services.events.registrations import EventNotFoundError
from bot.services.facilitation.open_calls import NoCandidatesError
from bot.services.facilitation.pool import (
    AlreadyAskedError,
    EventOverError,
    LapsedCertificateError,
    MissingCertificateError,
    NoFacilitatorNeededError,
    NotAFacilitatorError,
    TableOverview,
    UnavailableError,
    UnknownPersonError,
    UnreachableError,
)

STATUS_LABELS = {
    "pending": N_("⏳ no answer yet"),
    "accepted": N_("✅ yes"),
    "declined": N_("❌ no"),
    "withdrawn": N_("🙅 withdrew"),
    "filled": N_("➖ someone else was first"),
    "cancelled": N_("➖ no longer needed"),
}
MAX_LISTED = 10


def panel_text(found: TableOverview, settings: Settings, locale: str) -> str:
    event = found.event
    when = format_span(event.starts_at, event.ends_at, locale, settings.tz)
    lines = [
        "🧑‍🏫 <b>" + _("Facilitators: {title}").format(title=html.escape(event.title)) + "</b>",
        f"📅 {when} · {html.escape(event.municipality)}",
        "🎓 " + _("Certificate needed: {level}").format(level=level_label(found.level)),
        "✅ "
        + _("{confirmed} of {needed} facilitators confirmed").format(
            confirmed=event.facilitators_confirmed, needed=event.facilitators_needed
        ),
        "",
    ]
    if found.requests:
        lines.append(_("Asked:"))
        for request, person in found.requests[-MAX_LISTED:]:
            label = _(STATUS_LABELS.get(request.status, request.status))
            lines.append(f"• {html.escape(person.first_name)} — {label}")
    else:
        lines.append(_("Nobody has been asked yet."))
    lines += [
        "",
        _("Free to ask, with this certificate: {count}").format(count=len(found.candidates)),
    ]
    return "\n".join(lines)


def table_refusal(problem: Exception, event_id: int) -> str:
    """Why a request or an open call cannot be made, in words."""
    if isinstance(problem, EventNotFoundError):
        return _("There is no table with number {id}.").format(id=event_id)
    if isinstance(problem, UnknownPersonError):
        return _(
            "I don't know {who}. Use their @username, their Telegram number or, for a "
            "facilitator, their first name. They must have started the bot once."
        ).format(who=html.escape(str(problem)))
    if isinstance(problem, NotAFacilitatorError):
        return _("{name} is not a facilitator. Make them one first with /role.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, MissingCertificateError):
        return _(
            "{name} can't lead this table: it needs the certificate {level}, and {name} "
            "doesn't have it. If they do, record it with /certify."
        ).format(name=html.escape(problem.name), level=level_label(problem.level))
    if isinstance(problem, LapsedCertificateError):
        return _(
            "{name} can't lead this table: the certificate {level} lapsed on {date}. A new "
            "training {level} renews it (or record it again with /certify)."
        ).format(
            name=html.escape(problem.name),
            level=level_label(problem.level),
            date=long_date(problem.lapses_at, PROVINCE_TIME),
        )
    if isinstance(problem, UnreachableError):
        return _("{name} has blocked the bot, so a request would not arrive.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, UnavailableError):
        return _("{name} is not available at that time.").format(name=html.escape(problem.name))
    if isinstance(problem, AlreadyAskedError):
        if problem.status == "accepted":
            return _("{name} already leads this table.").format(name=html.escape(problem.name))
        return _("{name} has already been asked and hasn't answered yet.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, NoFacilitatorNeededError):
        return _("This table has all the facilitators it needs.")
    if isinstance(problem, EventOverError):
        return _("This table has already started.")
    if isinstance(problem, NoCandidatesError):
        return _(
            "Nobody else can be invited: no facilitator with the certificate {level} is free "
            "then (or under their monthly maximum)."
        ).format(level=level_label(problem.level))
    return _("That didn't work. Please try again.")


def asked_text(name: str, title: str) -> str:
    """A facilitator was asked to lead a table."""
    return _("📨 Asked {name} to lead <b>{title}</b>. You'll hear the answer here.").format(
        name=html.escape(name), title=html.escape(title)
    )
