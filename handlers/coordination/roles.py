"""/rol <person> facilitator|coordinator|resident: coordinators grant and revoke roles. The
person is an @username, a Telegram id, or the sender of the message replied to."""

from __future__ import annotations

import contextlib
import html

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import Message, MessageOriginUser

from bot.clock import Clock
from bot.commands import set_chat_commands
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import CatalogI18n, _
from bot.services.coordination import roles
from bot.services.coordination.roles import RoleChange
from bot.views.coordination import role_usage
from storage.models import Role, User
from storage.repositories import Repo


def role_label(role: str) -> str:
    labels: dict[str, str] = {
        Role.RESIDENT: _("resident"),
        Role.FACILITATOR: _("facilitator"),
        Role.COORDINATOR: _("coordinator"),
    }
    return labels.get(role, role)


HIDDEN = -1  # the forwarded message does not say who wrote it


def _replied_person(message: Message) -> int | None:
    """Who wrote the message replied to: the original sender of a forwarded message, or (in
    a group) the sender of the message; HIDDEN when their privacy settings hide them."""
    replied = message.reply_to_message
    if replied is None:
        return None
    if isinstance(replied.forward_origin, MessageOriginUser):
        return replied.forward_origin.sender_user.id
    if replied.forward_origin is not None:
        return HIDDEN
    sender = replied.from_user
    me = message.from_user
    if sender is not None and not sender.is_bot and (me is None or sender.id != me.id):
        return sender.id
    return None


async def _refresh_menu(bot: Bot, i18n: CatalogI18n, chat_id: int, role: str) -> None:
    """Coordinators and facilitators see their extra commands in their own chat; others the
    normal menu."""
    with contextlib.suppress(TelegramAPIError):  # a convenience; the role itself is stored
        await set_chat_commands(
            bot,
            i18n,
            chat_id,
            coordinator=role == Role.COORDINATOR,
            facilitator=role == Role.FACILITATOR,
        )


class _Unclear:
    """Who was meant is not clear; `text` says how to say it."""

    def __init__(self, text: str) -> None:
        self.text = text


def _target(message: Message, words: list[str]) -> int | str | _Unclear:
    """Who the role is for: the writer of the message replied to, or the first word."""
    replied = _replied_person(message)
    if replied == HIDDEN and len(words) == 1:
        return _Unclear(
            _(
                "I can't see who wrote that message: their privacy settings hide it. "
                "Use their @username or Telegram id instead."
            )
        )
    if replied is not None and len(words) == 1:
        return replied
    if len(words) == 2:
        return words[0]
    return _Unclear(role_usage())


async def cmd_role(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    bot: Bot,
    i18n: CatalogI18n,
) -> None:
    """Changes someone's role and confirms it, or says clearly why not."""
    words = (command.args or "").split()
    target = _target(message, words)
    if isinstance(target, _Unclear):
        await message.answer(target.text)
        return
    role = roles.parse_role(words[-1])
    change = await roles.set_role(
        repo, actor_id=user.id, target=target, role=role,
        coordinator_ids=settings.coordinator_ids, now=clock.now(),
    )  # fmt: skip
    menu_roles = (Role.COORDINATOR, Role.FACILITATOR)
    if change.changed and (change.old_role in menu_roles or change.new_role in menu_roles):
        await _refresh_menu(bot, i18n, change.user.id, change.new_role)
    await message.answer(_changed_text(change))


def _changed_text(change: RoleChange) -> str:
    name = html.escape(change.user.first_name or str(change.user.id))
    role = role_label(change.new_role)
    if not change.changed:
        return _("{name} already is {role}.").format(name=name, role=role)
    return _("✅ {name} is now {role}. I've let them know.").format(name=name, role=role)


def create_router() -> Router:
    router = Router(name="roles")
    router.message.register(cmd_role, Command("rol", "role"), IsCoordinator())
    return router
