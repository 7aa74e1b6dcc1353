"""Co-members: the members list, a one-time invitation link (`?start=inv_<token>`), making
someone owner, leaving, and answering requests to join."""

from __future__ import annotations

import html

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.dates import format_day
from bot.deeplinks import deep_link
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards.callbacks import InitiativeAction, InitiativeCallback, JoinRequestCallback
from bot.keyboards.confirm import ask_to_confirm
from bot.keyboards.share import share_link_button
from bot.paging import page_of
from bot.services.initiatives import invites
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.profiles import InitiativeNotFoundError
from bot.views.initiative_card import join_decided_text
from storage.models import MemberRole, User
from storage.repositories import Repo


async def _members_view(
    message: Message, repo: Repo, initiative_id: int, user: User, *, edit: bool, page: int = 0
) -> None:
    membership, rows = await initiatives.members_of(repo, initiative_id, user.id)
    shown = page_of(rows, page)
    lines = [_("<b>Members of {name}</b>").format(name=html.escape(membership.initiative.name))]
    for member, person in shown.items:
        role = _("owner") if member.role == MemberRole.OWNER else _("editor")
        lines.append(f"• {html.escape(person.first_name)} ({role})")
    lines.append("")
    lines.append(_("Owners can delete the initiative and make others owner."))
    markup = cards.members_keyboard(initiative_id, shown, is_owner=membership.is_owner)
    if edit:
        await message.edit_text("\n".join(lines), reply_markup=markup)
    else:
        await message.answer("\n".join(lines), reply_markup=markup)


async def cb_members(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Members]: who is in, with [Invite] and (for owners) [Make owner]."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    await query.answer()
    page = int(callback_data.value) if callback_data.value.isdigit() else 0
    await _members_view(query.message, repo, callback_data.id, user, edit=True, page=page)


async def cb_invite(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    bot: Bot,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """[Invite]: a link that lets one person join, once, for seven days."""
    ident = callback_data.id
    invite = await invites.create_invite(repo, ident, user.id, now=clock.now())
    membership = await initiatives.open_as_member(repo, ident, user.id)
    await query.answer()
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={invites.INVITE_PREFIX}{invite.token}"
    if isinstance(query.message, Message):
        until = format_day(invite.expires_at, locale, settings.tz)
        name = membership.initiative.name
        share = share_link_button(link, _("Join {name} in Samenspel").format(name=name))
        await query.message.answer(
            _invite_text(name, until, link),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[share]]),
        )


def _invite_text(name: str, until: str, link: str) -> str:
    return _(
        "Send this link to the person you want to add to <b>{name}</b>. "
        "It works once, until {date}.\n\n{link}"
    ).format(name=html.escape(name), date=until, link=link)


async def cb_make_owner(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Make … owner]: another member becomes owner too."""
    if not callback_data.value.isdigit():
        await query.answer()
        return
    await invites.make_owner(repo, callback_data.id, user.id, int(callback_data.value))
    await query.answer(_("Done: they are an owner now too."))
    if isinstance(query.message, Message):
        await _members_view(query.message, repo, callback_data.id, user, edit=True)


async def cb_leave(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Leave]: asks to confirm first."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    membership = await initiatives.open_as_member(repo, callback_data.id, user.id)
    await query.answer()
    await query.message.edit_text(
        _("<b>Leave {name}?</b>\nYou can only come back with a new invitation.").format(
            name=html.escape(membership.initiative.name)
        ),
        reply_markup=cards.confirm_keyboard(
            callback_data.id, InitiativeAction.LEAVE_CONFIRMED, _("🚪 Yes, leave"), _("Stay")
        ),
    )


async def cb_leave_confirmed(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Yes, leave]: the person is no longer a member."""
    name = await invites.leave(repo, callback_data.id, user.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _("You've left <b>{name}</b>.").format(name=html.escape(name))
        )


@deep_link(invites.INVITE_PREFIX)
async def open_invite_link(message: Message, argument: str, data: HandlerData) -> bool | str:
    """`?start=inv_<token>`: joins the initiative, once, within seven days."""
    user: User = data["user"]
    clock: Clock = data["clock"]
    try:
        initiative = await invites.accept_invite(data["repo"], argument, user.id, now=clock.now())
    except invites.AlreadyMemberError:
        await message.answer(_("You're already a member of this initiative. See /mine."))
        return True
    except InitiativeError:
        return _(
            "This invitation no longer works: it was used already or it has expired. "
            "Ask the person who sent it for a new link."
        )
    membership = await initiatives.open_as_member(data["repo"], initiative.id, user.id)
    await message.answer(
        _(
            "Welcome to <b>{name}</b>! You can now keep its profile up to date. "
            "You'll find it under /mine."
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
    if not callback_data.accept and not callback_data.sure:
        sure = callback_data.model_copy(update={"sure": True})
        await ask_to_confirm(query, _("Yes, decline"), sure)
        return
    try:
        initiative, _request = await invites.decide_join(
            repo, callback_data.request_id, user.id, accept=callback_data.accept, now=clock.now()
        )
    except InitiativeNotFoundError:  # answered already, or not an owner: the refusal map says so
        await query.answer(_("This request is no longer valid."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(join_decided_text(initiative.name, callback_data.accept))


def create_router() -> Router:
    router = Router(name="initiatives_members")
    action = InitiativeCallback.filter
    router.callback_query.register(cb_members, action(F.action == InitiativeAction.MEMBERS))
    router.callback_query.register(cb_invite, action(F.action == InitiativeAction.INVITE))
    router.callback_query.register(cb_make_owner, action(F.action == InitiativeAction.MAKE_OWNER))
    router.callback_query.register(cb_leave, action(F.action == InitiativeAction.LEAVE))
    router.callback_query.register(
        cb_leave_confirmed, action(F.action == InitiativeAction.LEAVE_CONFIRMED)
    )
    router.callback_query.register(cb_join_request, JoinRequestCallback.filter())
    return router
