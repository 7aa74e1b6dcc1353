"""The bot was blocked or unblocked in a private chat: remember whether we can reach the user."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from bot.clock import Clock
from bot.services.users import mark_reachable
from storage.repositories import Repo


async def on_blocked(event: ChatMemberUpdated, repo: Repo, clock: Clock) -> None:
    """The user blocked the bot: no more messages until they come back."""
    await mark_reachable(repo, event.from_user.id, False, now=clock.now())


async def on_unblocked(event: ChatMemberUpdated, repo: Repo, clock: Clock) -> None:
    """The user unblocked the bot: they can be reached again."""
    await mark_reachable(repo, event.from_user.id, True, now=clock.now())


def create_router() -> Router:
    router = Router(name="chat_member")
    router.my_chat_member.filter(F.chat.type == "private")
    router.my_chat_member.register(
        on_blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        on_unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router
