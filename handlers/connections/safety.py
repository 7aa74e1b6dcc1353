"""Buttons under a relayed message that decide about the conversation: share my contact,
decline, report, block; and the coordinators' "block everywhere" under a report."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import IntroAction, IntroCallback
from bot.services.connections import introductions as intro
from bot.services.connections import safety
from bot.views.connections import intro_refusal
from storage.models import User
from storage.repositories import Repo


async def cb_action(
    query: CallbackQuery,
    callback_data: IntroCallback,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """[Share my contact], [Decline], [Report] and [Block] under a relayed message."""
    action, thread_id, now = callback_data.action, callback_data.id, clock.now()
    try:
        if action == "share":
            shared = await intro.share_contact(repo, thread_id, user.id, now=now)
            text = (
                _("🤝 Your contact is passed on to the other side.")
                if shared
                else _("You shared your contact already.")
            )
        elif action == "decline":
            await safety.decline(repo, thread_id, user.id, now=now)
            text = _("You declined. I'll tell the sender politely; the conversation is closed.")
        elif action == "report":
            await safety.report(
                repo, thread_id, user.id, now=now, coordinator_chat_id=settings.coordinator_chat_id
            )
            text = _(
                "Thank you. The coordinators will look at this conversation. "
                "Nothing more is passed on, and the other side isn't told who reported it."
            )
        else:
            await safety.block(repo, thread_id, user.id, now=now)
            text = _("🚫 Blocked. This person can't write to your initiative any more.")
    except intro.IntroError as exc:
        await query.answer(intro_refusal(exc), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        if action != "share":
            await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text)


async def cb_ban(
    query: CallbackQuery, callback_data: IntroCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """A coordinator blocks the sender of a reported conversation from writing to anyone."""
    try:
        added = await safety.ban_sender(repo, callback_data.id, user.id, now=clock.now())
    except intro.IntroError as exc:
        await query.answer(intro_refusal(exc), show_alert=True)
        return
    await query.answer(
        _("Blocked everywhere.") if added else _("This sender was blocked already."),
        show_alert=True,
    )
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def create_router() -> Router:
    router = Router(name="introductions_safety")
    router.callback_query.register(
        cb_action, IntroCallback.filter(F.action.in_(("share", "decline", "report", "block")))
    )
    router.callback_query.register(
        cb_ban, IntroCallback.filter(F.action == IntroAction.BAN), IsCoordinator()
    )
    return router
