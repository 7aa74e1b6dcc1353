"""Screens of events that several handlers show: the agenda page, an event's card, the
coordinator's card."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Unpack

from aiogram import Bot
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from babel.dates import format_date

from bot.clock import Clock
from bot.config import Settings
from bot.dates import language_of, period_label
from bot.handler_data import HandlerData
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import (
    EventAdminAction,
    EventAdminCallback,
    EventListCallback,
    FacAdminAction,
    FacAdminCallback,
)
from bot.keyboards.events import agenda_keyboard, card_keyboard, picker_keyboard
from bot.services.events import browse as events
from bot.services.events import mix
from bot.services.events.registrations import CancelResult, SignUpOutcome, SignUpResult
from bot.services.events.waitlist import OFFER_WITHIN
from bot.views.event_card import event_card, list_line
from bot.views.event_changes import admin_lines
from bot.views.mix import mix_lines
from storage.models import EventKind, EventStatus, Registration, User
from storage.repositories import Repo


async def picker_message(
    repo: Repo,
    request: EventListCallback,
    field: str,
    *,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    """The question of the agenda's theme, place or month picker, with its choices."""
    shown = events.Browse(request.kind, request.theme, request.place, request.when, 0)
    values = await events.picker_choices(
        repo, field, now=clock.now(), request=shown, tz=settings.tz
    )
    questions = {
        "theme": _("Which theme?"),
        "place": _("Which municipality?"),
        "when": _("Which month?"),
    }
    back = request.model_copy(update={"pick": ""})
    return questions[field], picker_keyboard(back, field, values, locale)


async def agenda_message(
    repo: Repo, request: EventListCallback, *, clock: Clock, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    browse = events.Browse(request.kind, request.theme, request.place, request.when, request.page)
    page = await events.browse(repo, browse, now=clock.now(), tz=settings.tz)
    period = period_label(request.when, locale)
    lines = ["📅 <b>" + _("What's on") + "</b>" + (f" · {period}" if period else ""), ""]
    if not page.items:
        lines.append(_("Nothing planned that fits this choice. Try another filter."))
    first = page.page * events.PAGE_SIZE + 1
    for offset, found in enumerate(page.items):
        lines.append(list_line(first + offset, found, locale, settings.tz))
    if page.items:
        lines += ["", _("Tap an event to see more and to sign up.")]
    keyboard = agenda_keyboard(page, request.model_copy(update={"page": page.page}), locale)
    return "\n".join(lines), keyboard


async def card_message(
    repo: Repo, event_id: int, user_id: int, *, clock: Clock, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The card of an event for one person, with the buttons that fit their place."""
    found, registration = await events.view_for(repo, event_id, user_id)
    return render_card(found, registration, clock=clock, settings=settings, locale=locale)


def render_card(
    found: events.EventView,
    registration: Registration | None,
    *,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> tuple[str, InlineKeyboardMarkup]:
    now = clock.now()
    open_for_changes = found.open_for_changes(now)
    open_for_signup = found.open_for_signup(now)
    own = registration if open_for_changes else None
    text = event_card(found, locale, settings.tz, own)
    keyboard = card_keyboard(
        found, own, open_for_signup=open_for_signup, open_for_changes=open_for_changes
    )
    return text, keyboard


def result_card(
    result: SignUpResult | CancelResult, *, clock: Clock, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The card as it is right after a sign-up or cancellation, without reading it again."""
    found = events.EventView(result.event, result.seats_taken, result.waiting)
    return render_card(found, result.registration, clock=clock, settings=settings, locale=locale)


async def event_link(bot: Bot, event_id: int) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start=e_{event_id}"


def person_line(registration: Registration, user: User, *, plain: bool = False) -> str:
    """Someone in a coordinator's list, with the others their sign-up brings: "Anna (+2)"."""
    name = user.first_name if plain else html.escape(user.first_name)
    more = registration.party_size - 1
    return f"{name} (+{more})" if more > 0 else name


def admin_button(text: str, action: str, event_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=EventAdminCallback(action=action, event_id=event_id).pack()
    )


async def send_admin_card(
    message: Message,
    event_id: int,
    **data: Unpack[HandlerData],
) -> None:
    """The event as residents see it, plus its number, its link and the coordinator's actions."""
    repo = data["repo"]
    found = await events.view(repo, event_id, drafts=True)
    link = await event_link(data["bot"], event_id)
    text = event_card(found, data["locale"], data["settings"].tz)
    text += "\n" + "\n".join(admin_lines(found.event, data["locale"], data["settings"].tz))
    if found.event.kind == EventKind.TABLE:
        table_mix = await mix.table_mix(repo, found.event)
        text += "".join("\n" + line for line in mix_lines(table_mix))
        if found.event.reserved_seats and found.event.reserved_for:
            text += "\n🔒 " + _("Kept seats not yet taken: {count}").format(
                count=table_mix.reserved_left
            )
    if found.event.status == EventStatus.DRAFT:
        text += "\n\n🔒 " + _("Draft: not published yet, so nobody sees it or can sign up.")
    text += "\n\n" + _("Event number: {id}").format(id=event_id) + "\n🔗 " + html.escape(link)
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                admin_button("🔳 " + _("QR code"), "qr", event_id),
                admin_button("👥 " + _("Participants"), "people", event_id),
            ],
            [
                admin_button("✏️ " + _("Change"), "edit", event_id),
                admin_button("❌ " + _("Call off"), "cancel", event_id),
            ],
        ]
    )
    if found.event.facilitators_needed > 0:  # the facilitation overview of a table
        keyboard.inline_keyboard.append(
            [
                InlineKeyboardButton(
                    text="🧑‍🏫 " + _("Facilitators"),
                    callback_data=FacAdminCallback(
                        action=FacAdminAction.PANEL, event_id=event_id
                    ).pack(),
                )
            ]
        )
    await message.answer(text, reply_markup=keyboard)


def signed_up_text(result: SignUpResult) -> str:
    """The answer under the tap that signed up (or changed the group)."""
    registration = result.registration
    people = registration.party_size
    if result.outcome == SignUpOutcome.PARTY_CHANGED:
        return ngettext(
            "Changed: your sign-up is now for {count} person.",
            "Changed: your sign-up is now for {count} people.",
            people,
        ).format(count=people)
    if result.outcome == SignUpOutcome.CONFIRMED and people > 1:
        return ngettext(
            "You're signed up with {count} person! See you there.",
            "You're signed up with {count} people! See you there.",
            people,
        ).format(count=people)
    if result.outcome == SignUpOutcome.CONFIRMED:
        return _("You're signed up! See you there.")
    if result.outcome == SignUpOutcome.ALREADY_CONFIRMED:
        return _("You were already signed up.")
    if registration.waits_for_offer:
        return _("You are on the waitlist first: number {position}.").format(
            position=registration.waitlist_position
        )
    return _("Full is full: you are number {position} on the waitlist.").format(
        position=registration.waitlist_position
    )


def waitlisted_text(result: SignUpResult, now: datetime) -> str:
    """Why and how someone waits: after no-shows at a popular table, close to the start (the
    seat goes to whoever says yes first), as a group, or first in line for the next seat."""
    values = {
        "position": result.registration.waitlist_position,
        "title": html.escape(result.event.title),
    }
    if result.registration.waits_for_offer:
        text = _(
            "⏳ <b>{title}</b> is popular, and you missed several tables lately without "
            "cancelling. So this time you wait first (number {position}) while others get the "
            "seats. Two days before the start, every seat that is left is offered to the "
            "waitlist at once, you included. /mystatus shows your record and how it improves."
        ).format(**values)
    elif result.event.starts_at - now <= OFFER_WITHIN:
        text = _(
            "⏳ You are number {position} on the waitlist for <b>{title}</b>. If a seat frees "
            "up, everyone on the waitlist hears it at once: whoever says yes first gets it."
        ).format(**values)
    elif result.registration.party_size > 1:
        text = _(
            "⏳ You are number {position} on the waitlist for <b>{title}</b>, as a group. As "
            "soon as there are seats for all of you, they are yours and I'll let you know."
        ).format(**values)
    else:
        text = _(
            "⏳ You are number {position} on the waitlist for <b>{title}</b>. "
            "As soon as a seat frees up, it's yours and I'll let you know."
        ).format(**values)
    return text


def cancelled_text(result: CancelResult) -> tuple[str, bool]:
    """What a cancellation says, and whether it is an alert (a late one is)."""
    if not result.was_confirmed:
        return _("You are off the waitlist."), False
    if result.late:
        return _(
            "You're cancelled. It is short notice, so we noted it as a late cancellation."
        ), True
    return _("You're cancelled. Thanks for letting us know!"), False


def when_problem_text(error: ValueError, locale: str) -> str:
    """Why a typed moment can't be used, and how to type it."""
    reason = getattr(error, "reason", str(error))
    details: dict[str, str] = getattr(error, "details", {})
    if reason == "past":
        return _("That moment has already passed. Please give a date ahead.")
    if reason == "end_before_start":
        return _(
            "The end ({end}) is before the start ({start}). Type the times again, for "
            "example <code>19:30-21:30</code>."
        ).format(start=details.get("start", ""), end=details.get("end", ""))
    if reason == "weekday" and details.get("day"):
        day = date.fromisoformat(details["day"])
        return _("{date} is a {weekday}. Which day do you mean?").format(
            date=format_date(day, "d MMMM", locale=language_of(locale)),
            weekday=format_date(day, "EEEE", locale=language_of(locale)),
        )
    return _(
        "I can't read that. Type the day and the times, for example: "
        "<code>10-3 19:30-21:30</code>, <code>do 10 december 19:30-21:30</code> or "
        "<code>morgen 19:30</code>."
    )


def call_off_question(event_id: int, reason: str = "") -> tuple[str, InlineKeyboardMarkup]:
    """The question before calling an event off, with the reason typed so far."""
    if reason:
        text = _(
            "Call off this event with this reason? Everyone signed up will be told.\n"
            "<blockquote>{reason}</blockquote>"
        ).format(reason=html.escape(reason))
    else:
        text = _(
            "Really call off this event? Everyone signed up will be told.\n"
            "Want to say why? Type the reason now; it goes into the message."
        )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [admin_button("❌ " + _("Yes, call it off"), EventAdminAction.CANCEL_YES, event_id)],
            [admin_button(_("No, it goes ahead"), EventAdminAction.CANCEL_NO, event_id)],
        ]
    )
    return text, markup


def called_off_text(told: int) -> str:
    """After calling an event off: how many people will be told."""
    return ngettext(
        "The event is called off. {count} person will be told.",
        "The event is called off. {count} people will be told.",
        told,
    ).format(count=told)


def rated_text(rating: int) -> str:
    """After the stars: the stars given, and room for a sentence."""
    return (
        "⭐" * rating
        + "\n"
        + _("Thank you! Anything you'd like to add? Type a sentence, or tap Done.")
    )


def reconfirmed_text(*, coming: bool) -> str:
    """After the answer to "Kom je nog?"."""
    if coming:
        return _("Great, see you there! 👋")
    return _("Thanks for letting us know. Your seat now goes to someone on the waitlist.")


def seat_gone_text() -> str:
    """[Ja, ik kom] under a seat offer, after someone else said yes."""
    return _("Sorry, someone said yes just before you. You stay on the waitlist.")
