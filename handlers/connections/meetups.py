"""A coordinator's answer to a themed-meetup proposal: one tap creates the draft meetup and
invites the initiatives; "not now" sets the proposal aside; an idea in a list of several
opens that proposal."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.dates import format_span
from bot.filters.roles import IsCoordinator
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import MeetupProposalAction, MeetupProposalCallback
from bot.keyboards.connections import publish_keyboard
from bot.services.connections import meetups
from bot.views.meetups import proposal_view
from storage.models import Event, User
from storage.repositories import Repo


async def cb_open(
    query: CallbackQuery, callback_data: MeetupProposalCallback, repo: Repo, locale: str
) -> None:
    """An idea tapped in the list of proposals: that proposal with its initiatives."""
    proposal, initiatives = await meetups.proposal_with_initiatives(repo, callback_data.id)
    await query.answer()
    if isinstance(query.message, Message):
        text, keyboard = proposal_view(proposal, initiatives, locale)
        await query.message.answer(text, reply_markup=keyboard)


async def cb_create(
    query: CallbackQuery,
    callback_data: MeetupProposalCallback,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """[Create meetup and invite]: a draft meetup, invitations in a few days."""
    created = await meetups.create_meetup(
        repo, callback_data.id, user.id, now=clock.now(), tz=settings.tz
    )
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)
    text = _draft_text(created.event, locale, settings) + "\n\n" + _reach_text(created)
    await query.message.answer(text, reply_markup=publish_keyboard(callback_data.id))


def _reach_text(created: meetups.CreatedMeetup) -> str:
    """Who gets the invitation, and which initiatives the coordinator must tell themselves."""
    lines = [
        ngettext(
            "✉️ {count} person will get the invitation.",
            "✉️ {count} people will get the invitation.",
            created.invited,
        ).format(count=created.invited)
    ]
    if created.unreachable:
        lines.append(
            _(
                "Nobody of these initiatives uses Samenspel yet, so they get no invitation: "
                "{names}. Send them the link of the meetup (/manage {id} shows it, with a QR "
                "code), or publish it anyway."
            ).format(
                names=", ".join(html.escape(name) for name in created.unreachable),
                id=created.event.id,
            )
        )
    return "\n".join(lines)


def _draft_text(event: Event, locale: str, settings: Settings) -> str:
    return _(
        "📅 Draft meetup #{id} created for {when}, hosted by {venue}. Change time and place "
        "with /change {id}. The invitations go out in {days} days with the details as "
        "they are then, or now when you publish it."
    ).format(
        id=event.id,
        when=format_span(event.starts_at, event.ends_at, locale, settings.tz),
        venue=html.escape(event.venue),
        days=meetups.INVITE_DELAY.days,
    )


async def cb_publish(
    query: CallbackQuery, callback_data: MeetupProposalCallback, repo: Repo, clock: Clock
) -> None:
    """[Publish now]: the meetup is published and the invitations go out."""
    await meetups.publish_meetup(
        repo, callback_data.id, actor_id=query.from_user.id, now=clock.now()
    )
    await query.answer(_("Published! The invitations go out now."), show_alert=True)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


async def cb_dismiss(
    query: CallbackQuery,
    callback_data: MeetupProposalCallback,
    user: User,
    repo: Repo,
    clock: Clock,
) -> None:
    """[Not now]: the proposal is set aside."""
    await meetups.dismiss(repo, callback_data.id, user.id, now=clock.now())
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(_("Fine, this proposal is set aside."))


def create_router() -> Router:
    router = Router(name="meetup_proposals")
    coordinator = IsCoordinator()
    proposal = MeetupProposalCallback.filter
    router.callback_query.register(
        cb_open, proposal(F.action == MeetupProposalAction.OPEN), coordinator
    )
    router.callback_query.register(
        cb_create, proposal(F.action == MeetupProposalAction.CREATE), coordinator
    )
    router.callback_query.register(
        cb_publish, proposal(F.action == MeetupProposalAction.PUBLISH), coordinator
    )
    router.callback_query.register(
        cb_dismiss, proposal(F.action == MeetupProposalAction.DISMISS), coordinator
    )
    return router
