"""How an event looks in the chat: the card, a line in a list, and the names of kinds and levels."""

from __future__ import annotations

import html
from datetime import tzinfo

from bot.dates import format_moment, format_span
from bot.i18n import _, ngettext
from bot.labels import KIND_ICONS, kind_label, level_label, theme_label
from bot.services.events import mix
from bot.services.events.browse import EventView
from storage.models import Event, EventStatus, Registration, RegistrationStatus


def place_line(event: Event) -> str:
    parts = [event.venue, event.address, event.municipality]
    return html.escape(", ".join(part for part in parts if part))


def seats_text(found: EventView) -> str:
    """ "nog 3 plekken" / "vol — wachtlijst: 4"."""
    if not found.is_full:
        return ngettext("{count} seat left", "{count} seats left", found.seats_left).format(
            count=found.seats_left
        )
    if found.waiting:
        return _("full — waitlist: {count}").format(count=found.waiting)
    return _("full — the waitlist is open")


def title_in_question(event: Event) -> str:
    """The title inside a question that ends in "?" itself: "Wat vind jij?" loses its own
    question mark there, so the question doesn't end in "??"."""
    return html.escape(event.title.rstrip().rstrip("?").rstrip() or event.title)


def title_line(event: Event) -> str:
    icon = KIND_ICONS.get(event.kind, "📅")
    return f"{icon} <b>{html.escape(event.title)}</b>"


def event_card(
    found: EventView, locale: str, tz: tzinfo, registration: Registration | None = None
) -> str:
    """The full card of an event, with the reader's own place if they have one."""
    event = found.event
    kind = kind_label(event.kind)
    if event.level:
        kind = _("{kind} {level}").format(kind=kind, level=level_label(event.level))
    theme = theme_label(event.theme, locale)
    lines = [title_line(event), f"{kind} · {html.escape(theme)}" if theme else kind, ""]
    lines.append("📅 " + format_span(event.starts_at, event.ends_at, locale, tz))
    lines.append("📍 " + place_line(event))
    if event.status == EventStatus.CANCELLED:
        lines.append("❌ " + _("This event has been cancelled."))
    else:
        icon = "⛔" if found.is_full else "✅"
        lines.append(f"{icon} {seats_text(found)}")
    needed, confirmed = event.facilitators_needed, event.facilitators_confirmed
    if needed == 1:
        lines.append(
            "🧑‍🏫 "
            + (_("facilitator: confirmed") if confirmed else _("facilitator: not yet confirmed"))
        )
    elif needed > 1:
        lines.append(
            "🧑‍🏫 "
            + ngettext(
                "{confirmed} of {count} facilitator confirmed",
                "{confirmed} of {count} facilitators confirmed",
                needed,
            ).format(confirmed=min(confirmed, needed), count=needed)
        )
    if event.contribution:
        lines.append("💶 " + _("contribution: {text}").format(text=html.escape(event.contribution)))
    if event.level == "spannend":
        lines.append("🎓 " + _("first needed: training {level}").format(level=level_label("basis")))
    if event.status != EventStatus.CANCELLED and reserved_line(event):
        lines.append(reserved_line(event))
    if event.registration_deadline:
        lines.append(
            "⏰ "
            + _("sign up until {moment}").format(
                moment=format_moment(event.registration_deadline, locale, tz)
            )
        )
    if event.description:
        lines += ["", html.escape(event.description)]
    own = own_status(registration)
    if own:
        lines += ["", own]
    return "\n".join(lines)


def reserved_for_text(event: Event) -> str:
    """For whom a table's reserved seats are: "jongeren tot 18 jaar", "mensen van 65+",
    "mensen van buiten Overvecht"."""
    if event.reserved_for == mix.UNDER_18:
        return _("young people under 18")
    if event.reserved_for == mix.OUTSIDE:
        return _("people from outside {place}").format(
            place=html.escape(event.neighbourhood or event.municipality)
        )
    group = (event.reserved_for or "").replace("-", "–")
    return _("people aged {group}").format(group=group)


def reserved_line(event: Event) -> str:
    """The card's line about reserved seats ("" when there are none)."""
    if not event.reserved_seats or not event.reserved_for:
        return ""
    return "🔒 " + ngettext(
        "{count} seat is kept for {whom} until two days before the start.",
        "{count} seats are kept for {whom} until two days before the start.",
        event.reserved_seats,
    ).format(count=event.reserved_seats, whom=reserved_for_text(event))


def own_status(registration: Registration | None) -> str:
    if registration is None:
        return ""
    people = registration.party_size
    if registration.status == RegistrationStatus.CONFIRMED:
        if people > 1:
            return "✅ " + ngettext(
                "You are signed up with {count} person.",
                "You are signed up with {count} people.",
                people,
            ).format(count=people)
        return "✅ " + _("You are signed up.")
    if registration.status != RegistrationStatus.WAITLISTED:
        return ""
    position = registration.waitlist_position
    if people > 1:
        line = "⏳ " + ngettext(
            "You are on the waitlist with {count} person: number {position}.",
            "You are on the waitlist with {count} people: number {position}.",
            people,
        ).format(count=people, position=position)
    else:
        line = "⏳ " + _("You are on the waitlist: number {position}.").format(position=position)
    if registration.waits_for_offer:
        line += " " + _("Two days before the start you hear whether a seat is left.")
    return line


def list_line(number: int, found: EventView, locale: str, tz: tzinfo) -> str:
    """One event in a list: title, then when, where and seats."""
    event = found.event
    when = format_span(event.starts_at, event.ends_at, locale, tz)
    where = html.escape(event.municipality)
    return f"{number}. {title_line(event)}\n    {when} · {where} · {seats_text(found)}"


def when_where(event: Event, locale: str, tz: tzinfo) -> str:
    """Two lines: when ("di 3 dec, 19:30–21:30") and where."""
    when = format_span(event.starts_at, event.ends_at, locale, tz)
    return f"📅 {when}\n📍 {place_line(event)}"


def changed_text(event: Event, locale: str, tz: tzinfo, *, on_waitlist: bool) -> str:
    """The message to everyone signed up when an event moves (time or place)."""
    text = _("📣 Changed: <b>{title}</b> now takes place here and then:").format(
        title=html.escape(event.title)
    )
    text += "\n" + when_where(event, locale, tz) + "\n\n"
    if on_waitlist:
        return text + _("You are still on the waitlist.")
    return text + _("Your seat stays yours. Can't make it now? Cancel below.")
