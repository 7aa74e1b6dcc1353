"""Co-members: the members list, a one-time invitation link (`?start=inv_<token>`), making
someone owner, leaving, and answering requests to join."""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.deeplinks import deep_link
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards.callbacks import InitiativeCallback, JoinRequestCallback
from bot.middlewares.data import HandlerData
from bot.services.initiatives import invites
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.profiles import NotAnOwnerError
from bot.views.dates import format_day
from storage.models import MemberRole, User
from storage.repositories import Repo


async def _members_view(
    message: Message, repo: Repo, initiative_id: int, user: User, *, edit: bool
) -> None:
    membership, rows = await initiatives.members_of(repo, initiative_id, user.id)
    lines = [_("<b>Members of {name}</b>").format(name=html.escape(membership.initiative.name))]
    for member, person in rows:
        role = _("owner") if member.role == MemberRole.OWNER else _("editor")
        lines.append(f"• {html.escape(person.first_name)} ({role})")
    lines.append("")
    lines.append(_("Owners can delete the initiative and make others owner."))
    markup = cards.members_keyboard(initiative_id, rows, is_owner=membership.is_owner)
    if edit:
        await message.edit_text("\n".join(lines), reply_markup=markup)
    else:
        await message.answer("\n".join(lines), reply_markup=markup)


async def cb_members(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    bot: Bot,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Members, invite, make owner and leave."""
    message = query.message if isinstance(query.message, Message) else None
    action, ident = callback_data.action, callback_data.id
    try:
        if action == "members" and message is not None:
            await query.answer()
            await _members_view(message, repo, ident, user, edit=True)
        elif action == "invite":
            invite = await invites.create_invite(repo, ident, user.id, now=clock.now())
            membership = await initiatives.open_as_member(repo, ident, user.id)
            await query.answer()
            me = await bot.me()
            link = f"https://t.me/{me.username}?start={invites.INVITE_PREFIX}{invite.token}"
            if message is not None:
                await message.answer(
                    _(
                        "Send this link to the person you want to add to <b>{name}</b>. "
                        "It works once, until {date}.\n\n{link}"
                    ).format(
                        name=html.escape(membership.initiative.name),
                        date=format_day(invite.expires_at, locale, settings.tz),
                        link=link,
                    )
                )
        elif action == "owner" and callback_data.value.isdigit():
            await invites.make_owner(repo, ident, user.id, int(callback_data.value))
            await query.answer(_("Done: they are an owner now too."))
            if message is not None:
                await _members_view(message, repo, ident, user, edit=True)
        elif action == "leave" and message is not None:
            membership = await initiatives.open_as_member(repo, ident, user.id)
            await query.answer()
            await message.edit_text(
                _("<b>Leave {name}?</b>\nYou can only come back with a new invitation.").format(
                    name=html.escape(membership.initiative.name)
                ),
                reply_markup=cards.confirm_keyboard(
                    ident, "leaveyes", _("🚪 Yes, leave"), _("Stay")
                ),
            )
        elif action == "leaveyes":
            name = await invites.leave(repo, ident, user.id)
            await query.answer()
            if message is not None:
                await message.edit_text(
                    _("You've left <b>{name}</b>.").format(name=html.escape(name))
                )
    except invites.LastOwnerError:
        await query.answer(
            _(
                "You are the only owner. Make another member owner first (👥 Members), "
                "or delete the initiative."
            ),
            show_alert=True,
        )
    except NotAnOwnerError:
        await query.answer(_("Only owners can do this."), show_alert=True)
    except InitiativeError:
        await query.answer(
            _("This initiative doesn't exist any more, or you are no longer a member."),
            show_alert=True,
        )


@deep_link(invites.INVITE_PREFIX)
async def open_invite_link(message: Message, argument: str, data: HandlerData) -> bool:
    """`?start=inv_<token>`: joins the initiative, once, within seven days."""
    user: User = data["user"]
    clock: Clock = data["clock"]
    try:
        initiative = await invites.accept_invite(data["repo"], argument, user.id, now=clock.now())
    except invites.AlreadyMemberError:
        await message.answer(_("You're already a member of this initiative. See /mijn."))
        return True
    except InitiativeError:
        await message.answer(
            _(
                "This invitation no longer works: it was used already or it has expired. "
                "Ask for a new link."
            )
        )
        return True
    membership = await initiatives.open_as_member(data["repo"], initiative.id, user.id)
    await message.answer(
        _(
            "Welcome to <b>{name}</b>! You can now keep its profile up to date. "
            "You'll find it under /mijn."
        ).format(name=html.escape(initiative.name)),
        reply_markup=cards.card_keyboard(membership),
    )
    return True


async def cb_join_request(
    query: CallbackQuery,
    callback_data: JoinRequestCallback,
    user: User,
    repo: Repo,
    clock: Clock,
) -> None:
    """An owner (or coordinator) accepts or declines a request to join."""
    try:
        initiative, _request = await invites.decide_join(
            repo, callback_data.request_id, user.id, accept=callback_data.accept, now=clock.now()
        )
    except invites.RequestDecidedError:
        await query.answer(_("Someone already answered this request."), show_alert=True)
        return
    except NotAnOwnerError:
        await query.answer(_("Only owners can do this."), show_alert=True)
        return
    except InitiativeError:
        await query.answer(_("This request is no longer valid."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        name = html.escape(initiative.name)
        text = (
            _("✅ Accepted: they can now keep <b>{name}</b> up to date.")
            if callback_data.accept
            else _("You declined the request to join <b>{name}</b>.")
        )
        await query.message.edit_text(text.format(name=name))


_MEMBER_ACTIONS = ("members", "invite", "owner", "leave", "leaveyes")


def create_router() -> Router:
    router = Router(name="initiatives_members")
    router.callback_query.register(
        cb_members, InitiativeCallback.filter(F.action.in_(_MEMBER_ACTIONS))
    )
    router.callback_query.register(cb_join_request, JoinRequestCallback.filter())
    return router
