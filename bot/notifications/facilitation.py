"""Messages of facilitation, rendered at send time from the current state: the request (and its
one reminder), the answer for the coordinator who asked, alerts for the coordinators (a table
close without facilitators, a facilitator who withdrew), the facilitator's own reminder before
the table, the debrief question after it, and a table called off."""

from __future__ import annotations

import html
from datetime import timedelta

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.certificates import valid_until
from bot.dates import format_span, long_date
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.keyboards.facilitation import (
    alert_keyboard,
    answer_keyboard,
    duty_keyboard,
    moved_keyboard,
)
from bot.labels import level_label
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.events.browse import EventView
from bot.services.facilitation.renewals import CERTIFICATE_LAPSING, next_training
from bot.services.facilitation.rota import POLL, ROTA, current_poll, current_rota
from bot.services.message_params import (
    AnsweredParams,
    CertificateRevokedParams,
    RequestParams,
    TableParams,
    WithdrawnParams,
)
from bot.views.event_card import event_card, title_in_question, when_where
from bot.views.rota import poll_keyboard, poll_text, rota_keyboard, rota_text
from storage.models import Event, EventStatus, FacilitationRequest, RequestStatus, User


async def _request(
    ctx: RenderContext, params: RequestParams, status: str
) -> tuple[FacilitationRequest, Event] | None:
    """The request and its table while the request has `status` and the table is ahead."""
    request = await ctx.repo.facilitation.request(int(params["request_id"]))
    if request is None or request.status != status:
        return None
    event = await ctx.repo.events.get(request.event_id)
    if event is None or event.status != EventStatus.PUBLISHED:
        return None
    version = params.get("version")
    if version is not None and int(version) != event.version:
        return None  # the table moved: a message for the new time replaces this one
    return request, event


def _when_where(event: Event, ctx: RenderContext) -> str:
    return when_where(event, ctx.locale, ctx.settings.tz)


def _title(event: Event) -> str:
    return html.escape(event.title)


async def _name(ctx: RenderContext, user_id: int) -> str:
    user: User | None = await ctx.repo.users.get(user_id)
    return html.escape(user.first_name) if user else "?"


@message_kind("facilitation.request", urgent=True)
async def render_request(ctx: RenderContext, params: RequestParams) -> Rendered | None:
    found = await _request(ctx, params, RequestStatus.PENDING)
    if found is None or found[1].starts_at <= ctx.now:
        return None
    request, event = found
    counts = await ctx.repo.registrations.counts([event.id])
    card = event_card(EventView(event, *counts[event.id]), ctx.locale, ctx.settings.tz)
    if request.open_call_id is not None:
        head = "📣 <b>" + _("Open call: who leads this table?") + "</b>"
        ask = _("The first to say yes leads it.") + " "
    else:
        head = "🧑‍🏫 <b>" + _("Request to lead a table") + "</b>"
        ask = ""
    ask += _("Can you lead this table? Answer yes or no to this message.")
    return Rendered(f"{head}\n\n{card}\n\n{ask}", answer_keyboard(request.id))


@message_kind("facilitation.nudge", grace=timedelta(days=2))
async def render_nudge(ctx: RenderContext, params: RequestParams) -> Rendered | None:
    found = await _request(ctx, params, RequestStatus.PENDING)
    if found is None or found[1].starts_at <= ctx.now:
        return None
    request, event = found
    text = _("⏰ We haven't heard from you yet: can you lead <b>{title}</b>?").format(
        title=title_in_question(event)
    )
    text += "\n" + _when_where(event, ctx) + "\n\n"
    text += _("Answer yes or no to this message, or tap a button.")
    return Rendered(text, answer_keyboard(request.id))


@message_kind("facilitation.answered")
async def render_answered(ctx: RenderContext, params: AnsweredParams) -> Rendered | None:
    request = await ctx.repo.facilitation.request(int(params["request_id"]))
    if request is None:
        return None
    event = await ctx.repo.events.get(request.event_id)
    if event is None:
        return None
    name = await _name(ctx, request.facilitator_id)
    when = format_span(event.starts_at, event.ends_at, ctx.locale, ctx.settings.tz)
    if params.get("status") == RequestStatus.ACCEPTED:
        text = _("✅ {name} will lead <b>{title}</b> ({when}).").format(
            name=name, title=_title(event), when=when
        )
        return Rendered(text)
    text = _("❌ {name} can't lead <b>{title}</b> ({when}).").format(
        name=name, title=_title(event), when=when
    )
    if event.facilitators_confirmed < event.facilitators_needed:
        return Rendered(text, alert_keyboard(event.id))
    return Rendered(text)


def _missing(event: Event) -> str:
    return _("{confirmed} of {needed} facilitators confirmed").format(
        confirmed=event.facilitators_confirmed, needed=event.facilitators_needed
    )


@message_kind("facilitation.missing")
async def render_missing(ctx: RenderContext, params: TableParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    if (
        event is None
        or event.status != EventStatus.PUBLISHED
        or event.starts_at <= ctx.now
        or event.facilitators_confirmed >= event.facilitators_needed
    ):
        return None
    text = _("⚠️ <b>{title}</b> is coming up and still misses a facilitator.").format(
        title=_title(event)
    )
    text += "\n" + _when_where(event, ctx) + "\n🧑‍🏫 " + _missing(event)
    return Rendered(text, alert_keyboard(event.id))


@message_kind("facilitation.withdrawn", urgent=True)
async def render_withdrawn(ctx: RenderContext, params: WithdrawnParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    request = await ctx.repo.facilitation.request(int(params["request_id"]))
    if event is None or request is None or event.status != EventStatus.PUBLISHED:
        return None
    text = _("⚠️ {name} can no longer lead <b>{title}</b>.").format(
        name=await _name(ctx, request.facilitator_id), title=_title(event)
    )
    text += "\n" + _when_where(event, ctx) + "\n🧑‍🏫 " + _missing(event)
    if event.facilitators_confirmed < event.facilitators_needed:
        return Rendered(text, alert_keyboard(event.id))
    return Rendered(text)


@message_kind("facilitation.moved", urgent=True)
async def render_moved(ctx: RenderContext, params: RequestParams) -> Rendered | None:
    """The table someone leads has a new time or place: can they still?"""
    found = await _request(ctx, params, RequestStatus.ACCEPTED)
    if found is None or found[1].starts_at <= ctx.now:
        return None
    request, event = found
    if params.get("version") not in (None, event.version):
        return None  # it moved again since; that change has its own message
    text = _("📣 The table you lead has moved: <b>{title}</b>").format(title=_title(event))
    text += "\n" + _when_where(event, ctx) + "\n\n" + _("Can you still lead it?")
    return Rendered(text, moved_keyboard(request.id))


@message_kind("facilitation.still_on")
async def render_still_on(ctx: RenderContext, params: WithdrawnParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    request = await ctx.repo.facilitation.request(int(params["request_id"]))
    if event is None or request is None or event.status != EventStatus.PUBLISHED:
        return None
    return Rendered(
        _("✅ {name} can still lead <b>{title}</b> at its new time or place.").format(
            name=await _name(ctx, request.facilitator_id), title=_title(event)
        )
    )


@message_kind("facilitation.duty_reminder", grace=timedelta(hours=12))
async def render_duty_reminder(ctx: RenderContext, params: RequestParams) -> Rendered | None:
    found = await _request(ctx, params, RequestStatus.ACCEPTED)
    if found is None or found[1].starts_at <= ctx.now:
        return None
    request, event = found
    counts = await ctx.repo.registrations.counts([event.id])
    text = _("⏰ Reminder: you lead <b>{title}</b>.").format(title=_title(event))
    text += "\n" + _when_where(event, ctx) + "\n"
    signed_up = counts[event.id][0]
    text += "🙋 " + ngettext(
        "{count} person signed up.", "{count} people signed up.", signed_up
    ).format(count=signed_up)
    text += "\n\n" + _("Thank you for leading this table!")
    return Rendered(text, duty_keyboard(request.id))


@message_kind("facilitation.debrief", grace=timedelta(days=7))
async def render_debrief(ctx: RenderContext, params: RequestParams) -> Rendered | None:
    found = await _request(ctx, params, RequestStatus.ACCEPTED)
    if found is None:
        return None
    _request_row, event = found
    text = _("🙏 Thank you for leading <b>{title}</b>! How did it go?").format(title=_title(event))
    text += "\n\n" + _(
        "Reply to this message with how many people came and, in a few words, what was talked "
        "about. For example: <code>9 - housing, the bus, neighbours</code>"
    )
    return Rendered(text)


@message_kind("facilitation.called_off", urgent=True)
async def render_called_off(ctx: RenderContext, params: TableParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    if event is None or event.status != EventStatus.CANCELLED:
        return None
    when = format_span(event.starts_at, event.ends_at, ctx.locale, ctx.settings.tz)
    text = _("❌ <b>{title}</b> on {when} has been called off. You don't need to lead it.").format(
        title=_title(event), when=when
    )
    return Rendered(text)


@message_kind("certificate.revoked", essential=True)
async def render_certificate_revoked(
    ctx: RenderContext, params: CertificateRevokedParams
) -> Rendered | None:
    """A certificate was taken back: which, and why."""
    level = level_label(str(params["level"]))
    reason = str(params.get("reason") or "")
    if reason == "attendance":
        text = _(
            "🎓 Your certificate {level} was taken back: your presence at the training was "
            "corrected. Questions? Ask the coordinators."
        ).format(level=level)
    else:
        text = _(
            "🎓 Your certificate {level} was taken back by a coordinator. Reason: {reason}"
        ).format(level=level, reason=html.escape(reason))
    return Rendered(text)


@message_kind(CERTIFICATE_LAPSING, grace=timedelta(days=30))
async def render_certificate_lapsing(
    ctx: RenderContext, params: dict[str, object]
) -> Rendered | None:
    """A certificate lapses within 60 days: when, and the next training that renews it. Not
    sent when it was renewed or taken back meanwhile."""
    level = str(params["level"])
    if ctx.recipient is None:
        return None
    granted = (await ctx.repo.events.certificates_of(ctx.recipient.id)).get(level)
    if granted is None or granted.isoformat() != params.get("granted_at"):
        return None
    label = level_label(level)
    text = _(
        "🎓 Your certificate {level} lapses on {date}. After that you can't lead tables that "
        "need it. A new training {level} renews it."
    ).format(level=label, date=long_date(valid_until(level, granted), ctx.settings.tz, ctx.locale))
    training_id = await next_training(ctx.repo, level, now=ctx.now)
    training = await ctx.repo.events.get(training_id) if training_id is not None else None
    if training is None:
        text += "\n\n" + _(
            "No training {level} is planned yet; you'll find it in /agenda once there is one."
        ).format(level=label)
        return Rendered(text)
    when = format_span(training.starts_at, training.ends_at, ctx.locale, ctx.settings.tz)
    text += "\n\n" + _("The next one: <b>{title}</b>, {when}, {place}.").format(
        title=html.escape(training.title), when=when, place=html.escape(training.municipality)
    )
    join = EventCallback(action=EventAction.JOIN, event_id=training.id).pack()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="✅ " + _("Sign up"), callback_data=join)]]
    )
    return Rendered(text, keyboard)


@message_kind(POLL, grace=timedelta(days=10))
async def render_availability_poll(
    ctx: RenderContext, params: dict[str, object]
) -> Rendered | None:
    """The days of next month's tables that still need someone, as they are at send time."""
    if ctx.recipient is None:
        return None
    view = await current_poll(
        ctx.repo, ctx.recipient.id, str(params["month"]), now=ctx.now, tz=ctx.settings.tz
    )
    if not view.days:
        return None
    return Rendered(poll_text(view, ctx.locale), poll_keyboard(view, ctx.locale))


@message_kind(ROTA, grace=timedelta(days=7))
async def render_rota_proposal(ctx: RenderContext, params: dict[str, object]) -> Rendered | None:
    """The coordinators' rota proposal, worked out at send time; nothing when nobody can be
    asked any more."""
    rota = await current_rota(ctx.repo, str(params["month"]), now=ctx.now, tz=ctx.settings.tz)
    if not rota.asks:
        return None
    return Rendered(rota_text(rota, ctx.locale, ctx.settings.tz), rota_keyboard(rota))
