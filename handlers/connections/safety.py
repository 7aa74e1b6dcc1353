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
from bot.keyboards.confirm import ask_to_confirm
from bot.services.connections import introductions as intro
from bot.services.connections import safety
from storage.models import User
from storage.repositories import Repo


async def _done(query: CallbackQuery, text: str, *, close: bool = True) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        if close:
            await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text)


async def cb_share(
    query: CallbackQuery, callback_data: IntroCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[Share my contact] under a relayed message."""
    shared = await intro.share_contact(repo, callback_data.id, user.id, now=clock.now())
    text = (
        _("🤝 Your contact is passed on to the other side.")
        if shared
        else _("You shared your contact already.")
    )
    await _done(query, text, close=False)


async def cb_decline(
    query: CallbackQuery, callback_data: IntroCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[Decline] under a first message: the sender is told politely, the thread closes."""
    await safety.decline(repo, callback_data.id, user.id, now=clock.now())
    await _done(
        query, _("You declined. I'll tell the sender politely; the conversation is closed.")
    )


async def cb_report(
    query: CallbackQuery,
    callback_data: IntroCallback,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """[Report], confirmed: the coordinators look at the conversation; nothing more is passed
    on."""
    if not callback_data.sure:
        sure = callback_data.model_copy(update={"sure": True})
        await ask_to_confirm(query, _("Yes, report"), sure)
        return
    await safety.report(
        repo, callback_data.id, user.id, now=clock.now(),
        coordinator_chat_id=settings.coordinator_chat_id,
    )  # fmt: skip
    await _done(
        query,
        _(
            "Thank you. The coordinators will look at this conversation. "
            "Nothing more is passed on, and the other side isn't told who reported it."
        ),
    )


async def cb_block(
    query: CallbackQuery, callback_data: IntroCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[Block], confirmed: this sender can't write to the initiative any more."""
    if not callback_data.sure:
        sure = callback_data.model_copy(update={"sure": True})
        await ask_to_confirm(query, _("Yes, block"), sure)
        return
    await safety.block(repo, callback_data.id, user.id, now=clock.now())
    await _done(query, _("🚫 Blocked. This person can't write to your initiative any more."))


async def cb_ban(
    query: CallbackQuery, callback_data: IntroCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """A coordinator blocks the sender of a reported conversation from writing to anyone."""
    added = await safety.ban_sender(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(
        _("Blocked everywhere.") if added else _("This sender was blocked already."),
        show_alert=True,
    )
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def create_router() -> Router:
    router = Router(name="introductions_safety")
    action = IntroCallback.filter
    router.callback_query.register(cb_share, action(F.action == IntroAction.SHARE))
    router.callback_query.register(cb_decline, action(F.action == IntroAction.DECLINE))
    router.callback_query.register(cb_report, action(F.action == IntroAction.REPORT))
    router.callback_query.register(cb_block, action(F.action == IntroAction.BLOCK))
    router.callback_query.register(
        cb_ban, IntroCallback.filter(F.action == IntroAction.BAN), IsCoordinator()
    )
    return router
