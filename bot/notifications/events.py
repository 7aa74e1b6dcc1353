"""Messages of the events feature, rendered at send time from the current state of the event:
reminders, "Kom je nog?", promotion from the waitlist, changes and cancellations."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from bot.dates import format_span
from bot.i18n import _
from bot.keyboards.events import (
    feedback_keyboard,
    promoted_keyboard,
    reconfirm_keyboard,
    seat_offer_keyboard,
)
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.events.feedback import FEEDBACK
from bot.services.events.messages import SEAT_GONE, SEAT_OFFER
from bot.services.events.reliability import RECORD_FORGIVEN
from bot.services.events.wishes import WISH_NEW, WISH_OFFER
from bot.services.message_params import DigestParams, SeatParams, TableParams
from bot.views.event_card import changed_text, title_in_question, when_where
from storage.models import Event, EventStatus, Registration, RegistrationStatus


def _not_started(params: SeatParams, now: datetime) -> bool:
    starts_at = params.get("starts_at")
    return bool(starts_at) and now < datetime.fromisoformat(str(starts_at))


async def _place(
    ctx: RenderContext, params: SeatParams, status: RegistrationStatus
) -> tuple[Event, Registration] | None:
    """The upcoming event and the recipient's registration, while it still has `status`."""
    registration = await ctx.repo.registrations.get(int(params["registration_id"]))
    if registration is None or registration.status != status:
        return None
    event = await ctx.repo.events.get(registration.event_id)
    if event is None or event.status != EventStatus.PUBLISHED or event.starts_at <= ctx.now:
        return None
    return event, registration


async def _seat(ctx: RenderContext, params: SeatParams) -> tuple[Event, Registration] | None:
    """The event and the recipient's registration, when the seat is still theirs and upcoming."""
    return await _place(ctx, params, RegistrationStatus.CONFIRMED)


def _when_where(event: Event, ctx: RenderContext) -> str:
    return when_where(event, ctx.locale, ctx.settings.tz)


@message_kind("event.reminder", grace=timedelta(hours=2), still_useful=_not_started)
async def render_reminder(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    found = await _seat(ctx, params)
    if found is None:
        return None
    event, _registration = found
    text = _("⏰ Reminder: <b>{title}</b>").format(title=html.escape(event.title))
    text += "\n" + _when_where(event, ctx) + "\n\n" + _("See you there!")
    return Rendered(text, promoted_keyboard(event.id))


@message_kind("event.reconfirm", grace=timedelta(hours=24), still_useful=_not_started)
async def render_reconfirm(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    found = await _seat(ctx, params)
    if found is None:
        return None
    event, registration = found
    text = _("Are you still coming to <b>{title}</b>?").format(title=title_in_question(event))
    text += "\n" + _when_where(event, ctx) + "\n\n"
    text += _("If you can't make it, tap No: then someone from the waitlist gets your seat.")
    return Rendered(text, reconfirm_keyboard(registration.id))


@message_kind("event.promoted", urgent=True, still_useful=_not_started)
async def render_promoted(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    found = await _seat(ctx, params)
    if found is None:
        return None
    event, _registration = found
    text = _("🎉 Good news! A seat came free at <b>{title}</b>. You are now signed up.").format(
        title=html.escape(event.title)
    )
    text += "\n" + _when_where(event, ctx)
    text += "\n\n" + _("Can't come after all? Tap below, so the next person gets the seat.")
    return Rendered(text, promoted_keyboard(event.id))


@message_kind("event.changed", urgent=True, still_useful=_not_started)
async def render_changed(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    registration = await ctx.repo.registrations.get(int(params["registration_id"]))
    event = await ctx.repo.events.get(int(params["event_id"]))
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    if registration is None or registration.status not in active or event is None:
        return None
    if event.status != EventStatus.PUBLISHED:
        return None
    on_waitlist = registration.status == RegistrationStatus.WAITLISTED
    text = changed_text(event, ctx.locale, ctx.settings.tz, on_waitlist=on_waitlist)
    return Rendered(text, None if on_waitlist else promoted_keyboard(event.id))


async def _waiting(ctx: RenderContext, params: SeatParams) -> tuple[Event, Registration] | None:
    """The event and the recipient's waitlist place, while both still stand."""
    return await _place(ctx, params, RegistrationStatus.WAITLISTED)


@message_kind(SEAT_OFFER, urgent=True, still_useful=_not_started)
async def render_seat_offer(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    """A seat came free close to the start: offered to everyone waiting, first yes wins. Not
    sent when the seat has gone meanwhile."""
    found = await _waiting(ctx, params)
    if found is None:
        return None
    event, _registration = found
    if await ctx.repo.registrations.seats_taken(event.id) >= event.capacity:
        return None
    text = _("🪑 A seat is free at <b>{title}</b>. Do you want it?").format(
        title=html.escape(event.title)
    )
    text += "\n" + _when_where(event, ctx) + "\n\n"
    text += _("Everyone on the waitlist gets this message: whoever says yes first gets the seat.")
    return Rendered(text, seat_offer_keyboard(event.id))


@message_kind(SEAT_GONE, urgent=True, still_useful=_not_started)
async def render_seat_gone(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    found = await _waiting(ctx, params)
    if found is None:
        return None
    event, registration = found
    text = _(
        "The free seat at <b>{title}</b> has been taken by someone who said yes first. "
        "You are still on the waitlist (number {position})."
    ).format(title=html.escape(event.title), position=registration.waitlist_position)
    return Rendered(text)


@message_kind(FEEDBACK, grace=timedelta(days=2))
async def render_feedback(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    """ "Hoe was het gesprek?" to someone who had a seat and wasn't marked absent."""
    registration = await ctx.repo.registrations.get(int(params["registration_id"]))
    present = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
    if registration is None or registration.status not in present:
        return None
    event = await ctx.repo.events.get(registration.event_id)
    if event is None or event.status != EventStatus.PUBLISHED:
        return None
    if await ctx.repo.feedback.of(event.id, registration.user_id) is not None:
        return None
    text = _("💬 How was the conversation at <b>{title}</b>?").format(
        title=html.escape(event.title)
    )
    text += "\n" + _("One tap is enough: 1 star is poor, 5 stars is excellent.")
    return Rendered(text, feedback_keyboard(event.id))


async def _upcoming(ctx: RenderContext, params: TableParams) -> Event | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    if event is None or event.status != EventStatus.PUBLISHED or event.starts_at <= ctx.now:
        return None
    return event


@message_kind(WISH_OFFER, urgent=True)
async def render_wish_offer(ctx: RenderContext, params: TableParams) -> Rendered | None:
    """A free seat that fits the recipient's list; not sent once it has gone."""
    event = await _upcoming(ctx, params)
    if event is None or await ctx.repo.registrations.seats_taken(event.id) >= event.capacity:
        return None
    text = _("🔔 A seat is free at <b>{title}</b>, and it fits your list. Do you want it?").format(
        title=html.escape(event.title)
    )
    text += "\n" + _when_where(event, ctx)
    return Rendered(text, seat_offer_keyboard(event.id, join=True))


@message_kind(WISH_NEW)
async def render_wish_new(ctx: RenderContext, params: TableParams) -> Rendered | None:
    event = await _upcoming(ctx, params)
    if event is None:
        return None
    text = _("🔔 New, and it fits your list: <b>{title}</b>").format(title=html.escape(event.title))
    text += "\n" + _when_where(event, ctx)
    return Rendered(text, seat_offer_keyboard(event.id, join=True))


@message_kind(RECORD_FORGIVEN)
async def render_record_forgiven(ctx: RenderContext, params: dict[str, object]) -> Rendered:
    return Rendered(
        _(
            "📋 A coordinator set your record of late cancellations and no-shows to zero. "
            "Good to have you with us! See it with /mystatus."
        )
    )


@message_kind("event.cancelled", urgent=True, essential=True)
async def render_cancelled(ctx: RenderContext, params: SeatParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    if event is None:
        return None
    when = format_span(event.starts_at, event.ends_at, ctx.locale, ctx.settings.tz)
    text = _("❌ Sorry, <b>{title}</b> on {when} will not take place.").format(
        title=html.escape(event.title), when=when
    )
    reason = str(params.get("reason") or "")
    if reason:
        text += "\n" + html.escape(reason)
    text += "\n\n" + _("Look for another date with /agenda.")
    return Rendered(text)


@message_kind("digest.weekly", grace=timedelta(days=3))
async def render_digest(ctx: RenderContext, params: DigestParams) -> Rendered | None:
    """New events (still ahead) and initiatives of the past week; nothing left: not sent."""
    found = await ctx.repo.events.events_by_ids([int(i) for i in params.get("event_ids", [])])
    upcoming = [e for e in found if e.status == EventStatus.PUBLISHED and e.starts_at > ctx.now]
    initiatives = await ctx.repo.events.initiative_names(
        [int(i) for i in params.get("initiative_ids", [])]
    )
    if not upcoming and not initiatives:
        return None
    lines = ["📰 <b>" + _("New this week on Samenspel") + "</b>"]
    if upcoming:
        lines += ["", _("Events you can sign up for:")]
        for event in upcoming:
            when = format_span(event.starts_at, event.ends_at, ctx.locale, ctx.settings.tz)
            lines.append(
                f"• <b>{html.escape(event.title)}</b> — {when}, {html.escape(event.municipality)}"
            )
    if initiatives:
        lines += ["", _("New initiatives:")]
        for _id, name, municipality in initiatives:
            place = f" ({html.escape(municipality)})" if municipality else ""
            lines.append(f"• {html.escape(name)}{place}")
    lines += ["", _("See everything with /agenda. Change this overview with /settings.")]
    return Rendered("\n".join(lines))
