"""What a coordinator sees while changing an event (/wijzig): the fields to choose from, the
question for each (with what it is now), the choices for theme and level, the preview of the
message registrants will get, and what went wrong."""

from __future__ import annotations

import html
from datetime import datetime, tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.themes import THEMES
from bot.dates import format_moment, format_span
from bot.i18n import _, ngettext
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import EventFormCallback
from bot.labels import level_label, theme_label
from bot.services.events.admin import CapacityBelowSeatsError
from bot.services.events.changes import ChangePreview, FacilitatorsNeededError
from bot.services.events.registrations import MAX_PARTY_SIZE
from bot.services.facilitation.pool import LEVELS
from bot.views.event_card import changed_text, place_line, reserved_line
from storage.models import Event, EventKind

# Fields chosen with a button instead of typed.
PICKED = ("theme", "level")
# Fields whose change tells everyone signed up (and whoever leads the table).
TOLD = ("time", "place")


def _labels(event: Event) -> dict[str, str]:
    level = "🎓 " + (_("Certificate") if event.kind == EventKind.TRAINING else _("Level needed"))
    return {
        "time": "📅 " + _("Time"),
        "place": "📍 " + _("Place"),
        "seats": "🪑 " + _("Seats"),
        "title": "✏️ " + _("Title"),
        "description": "📝 " + _("Description"),
        "theme": "🏷 " + _("Theme"),
        "deadline": "⏳ " + _("Sign-up until"),
        "cutoff": "🚪 " + _("Cancel until"),
        "reminders": "🔔 " + _("Reminders"),
        "facilitators": "🧑‍🏫 " + _("Facilitators"),
        "party": "👥 " + _("Per sign-up"),
        "reserved": "🔒 " + _("Reserved"),
        "level": level,
    }


def fields_of(event: Event) -> list[str]:
    """What can be changed about this event (a meetup has no level)."""
    return [
        name
        for name in _labels(event)
        if (name != "level" or event.kind != EventKind.MEETUP)
        and (name != "reserved" or event.kind == EventKind.TABLE)
    ]


def fields_keyboard(event: Event) -> InlineKeyboardMarkup:
    labels = _labels(event)
    builder = InlineKeyboardBuilder()
    for name in fields_of(event):
        builder.button(
            text=labels[name],
            callback_data=EventFormCallback(field="edit", value=f"{name}-{event.id}"),
        )
    builder.adjust(3)
    return builder.as_markup()


def lead_time_text(minutes: int) -> str:
    """ "1 dag en 2 uur" — how long before the start."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("{count} day", "{count} days", days).format(count=days))
    if hours:
        parts.append(ngettext("{count} hour", "{count} hours", hours).format(count=hours))
    if mins:
        parts.append(ngettext("{count} minute", "{count} minutes", mins).format(count=mins))
    if len(parts) > 1:
        return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])
    return parts[0] if parts else _("at the start")


def reminders_text(offsets: list[int]) -> str:
    if not offsets:
        return _("no reminders")
    before = [lead_time_text(int(offset)) for offset in offsets]
    joined = (
        _("{first} and {last}").format(first=", ".join(before[:-1]), last=before[-1])
        if len(before) > 1
        else before[0]
    )
    return _("{lead_times} before the start").format(lead_times=joined)


def _moment_or(moment: datetime | None, otherwise: str, locale: str, tz: tzinfo) -> str:
    return format_moment(moment, locale, tz) if moment else otherwise


def admin_lines(event: Event, locale: str, tz: tzinfo) -> list[str]:
    """What only the coordinator's card shows: the cut-off for cancelling and the reminders."""
    lines = []
    if event.cancellation_cutoff:
        lines.append(
            "🚪 "
            + _("cancelling without a note until {moment}").format(
                moment=format_moment(event.cancellation_cutoff, locale, tz)
            )
        )
    lines.append("🔔 " + _("Reminders: {when}").format(when=reminders_text(event.reminder_offsets)))
    return lines


def _lead_or_moment_example() -> str:
    return _(
        "Type a day and time (<code>9-12 18:00</code>) or how long before the start "
        "(<code>2 days</code>), or <code>-</code> for {none}."
    )


def question(field: str, event: Event, locale: str, tz: tzinfo) -> str:
    """The question for the new value, with what it is now."""
    now_is = {
        "time": _("Now: {value}.").format(
            value=format_span(event.starts_at, event.ends_at, locale, tz)
        ),
        "place": _("Now: {value}.").format(value=place_line(event)),
        "seats": _("Now: {value}.").format(value=event.capacity),
        "title": _("Now: {value}.").format(value=html.escape(event.title)),
        "deadline": _("Now: {value}.").format(
            value=_moment_or(event.registration_deadline, _("until the start"), locale, tz)
        ),
        "cutoff": _("Now: {value}.").format(
            value=_moment_or(event.cancellation_cutoff, _("until the start"), locale, tz)
        ),
        "reminders": _("Now: {value}.").format(value=reminders_text(event.reminder_offsets)),
        "facilitators": ngettext(
            "Now: {count} needed, {confirmed} confirmed.",
            "Now: {count} needed, {confirmed} confirmed.",
            event.facilitators_needed,
        ).format(count=event.facilitators_needed, confirmed=event.facilitators_confirmed),
        "reserved": _("Now: {value}.").format(
            value=reserved_line(event).removeprefix("🔒 ").rstrip(".") or _("no seats reserved")
        ),
        "party": ngettext(
            "Now: {count} person per sign-up.",
            "Now: up to {count} people per sign-up.",
            event.max_party_size,
        ).format(count=event.max_party_size),
    }
    asks = {
        "time": _("New date and times? For example: <code>10-3 19:30-21:30</code>"),
        "place": _(
            "New place? For example: <code>Buurthuis De Pijler, Oudegracht 1, Utrecht</code>"
        ),
        "seats": _("How many seats from now on? Type a number."),
        "title": _("The new title? 3 to 200 characters."),
        "description": _("The new description? At most 2000 characters, or - for none."),
        "deadline": _("Until when can people sign up?")
        + " "
        + _lead_or_moment_example().format(none=_("until the start")),
        "cutoff": _(
            "Until when can people cancel without it being noted as late? "
            "After that moment a cancellation still works, but counts as late."
        )
        + " "
        + _lead_or_moment_example().format(none=_("until the start")),
        "reminders": _(
            "When should reminders go out? Type how long before the start, for example "
            "<code>1 day and 2 hours</code> or <code>3 hours</code> (at most three), or "
            "<code>-</code> for no reminders."
        ),
        "facilitators": _("How many facilitators are needed? Type a number."),
        "party": _(
            "How many people may one sign-up bring, the signer included? Type a number: "
            "<code>1</code> for one person each, <code>30</code> for a school class."
        ),
        "reserved": _(
            "How many seats do you keep, and for whom? For example <code>3 young people</code> "
            "(under 18), <code>2 65+</code>, <code>3 outside Overvecht</code> (a neighbourhood "
            "or village of the table's municipality) or <code>3 outside</code> (outside the "
            "municipality). They are kept until two days before the start; then they are open "
            "to everyone. <code>-</code> for none."
        ),
        "theme": _("Which theme?"),
        "level": _("Which certificate does this training give?")
        if event.kind == EventKind.TRAINING
        else _("Which certificate does a facilitator of this table need?"),
    }
    lines = [line for line in (now_is.get(field, ""), asks[field]) if line]
    return "\n".join(lines)


def pick_keyboard(field: str, event: Event, locale: str) -> InlineKeyboardMarkup:
    """The choices for theme or level, the current one marked."""
    if field == "theme":
        options = [("-", _("No theme"))] + [
            (slug, label.label(locale)) for slug, label in THEMES.items()
        ]
        current = event.theme or "-"
    else:
        options = [(level, level_label(level)) for level in LEVELS]
        current = (
            event.level if event.kind == EventKind.TRAINING else event.facilitator_level
        ) or ""
    builder = InlineKeyboardBuilder()
    for value, label in options:
        builder.button(
            text=("✓ " if value == current else "") + label,
            callback_data=EventFormCallback(field="editpick", value=value),
        )
    builder.adjust(2)
    return builder.as_markup()


def preview_text(preview: ChangePreview, locale: str, tz: tzinfo) -> str:
    """The message registrants will get, and how many people get it, before it goes out."""
    lines = [_("This is the message they will get:")]
    lines.append(
        "<blockquote>"
        + changed_text(preview.event, locale, tz, on_waitlist=False)
        + "</blockquote>"
    )
    if preview.registrants:
        lines.append(
            ngettext(
                "It goes to {count} person who signed up.",
                "It goes to {count} people who signed up.",
                preview.registrants,
            ).format(count=preview.registrants)
        )
    if preview.on_waitlist:
        lines.append(
            ngettext(
                "{count} of them is on the waitlist and reads that this stays so.",
                "{count} of them are on the waitlist and read that this stays so.",
                preview.on_waitlist,
            ).format(count=preview.on_waitlist)
        )
    if preview.facilitators:
        lines.append(
            ngettext(
                "{count} facilitator hears it too and is asked whether the new moment suits.",
                "{count} facilitators hear it too and are asked whether the new moment suits.",
                preview.facilitators,
            ).format(count=preview.facilitators)
        )
    lines += ["", _("Change it and send the message?")]
    return "\n".join(lines)


def confirm_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="✅ " + _("Yes, change and send"),
                    callback_data=EventFormCallback(field="editsend", value="yes").pack(),
                ),
                InlineKeyboardButton(
                    text="✖ " + _("No, leave it"),
                    callback_data=EventFormCallback(field="editsend", value="no").pack(),
                ),
            ]
        ]
    )


def changed_reply(told: int) -> str:
    if not told:
        return _("Changed.")
    return ngettext(
        "Changed. {count} person will be told.",
        "Changed. {count} people will be told.",
        told,
    ).format(count=told)


def problem_text(field: str, problem: Exception, starts_at: str) -> str:
    """Why the typed value can't be used, and what to type instead."""
    if isinstance(problem, CapacityBelowSeatsError):
        return ngettext(
            "{count} person is already signed up: there can't be fewer seats than that.",
            "{count} people are already signed up: there can't be fewer seats than that.",
            problem.taken,
        ).format(count=problem.taken)
    if isinstance(problem, FacilitatorsNeededError):
        return _("Type a number from {lowest} to {highest}.").format(
            lowest=problem.lowest, highest=problem.highest
        )
    reason = str(problem)
    if reason.endswith("_after_start"):
        return _(
            "That is after the start ({start}). Choose a moment before it, or "
            "<code>-</code> for until the start."
        ).format(start=starts_at)
    problems = {
        "title": _("A title has 3 to 200 characters. Please type it again."),
        "description": _("That is a bit long: at most 2000 characters, please."),
        "seats": _("Please type a whole number from 1 to 1000."),
        "facilitators": _("Please type a whole number, for example <code>2</code>."),
        "party": _("Please type a whole number from 1 to {highest}.").format(
            highest=MAX_PARTY_SIZE
        ),
        "reserved": _(
            "I can't read that. Type the number of seats (at most the table's seats) and for "
            "whom: <code>3 young people</code>, an age group such as <code>2 65+</code> "
            "(8-12, 13-17, 18-30, 31-65, 65+), or <code>3 outside</code> with a neighbourhood "
            "or village of the table's municipality. Or <code>-</code> for none."
        ),
        "reminders": _(
            "I can't read that. Type how long before the start, for example "
            "<code>1 day and 2 hours</code> or <code>30 min</code>: at most three, each "
            "between 10 minutes and 14 days. Or <code>-</code> for none."
        ),
        "place": _(
            "Please give at least the place and the municipality, separated by a comma, "
            "for example: <code>Buurthuis De Pijler, Utrecht</code>"
        ),
    }
    if field == "place" and reason == "municipality":
        return _(
            "I don't know that municipality in the province of Utrecht. "
            "Please type the place again, with the municipality last."
        )
    return problems.get(field, _("I can't read that. Please try again, or /stop."))


def picked_label(field: str, value: str | None, locale: str) -> str:
    if field == "theme":
        return theme_label(value, locale) or _("No theme")
    return level_label(value or "")
