"""/log [action]: the newest admin actions (who, what, on what, when)."""

from __future__ import annotations

import html
import json

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.services.coordination import audit
from storage.repositories import Repo


async def cmd_log(message: Message, command: CommandObject, repo: Repo, settings: Settings) -> None:
    """Lists the newest entries of the audit log, optionally of one kind of action."""
    action = (command.args or "").strip() or None
    entries = await audit.latest(repo, action=action)
    if not entries:
        await message.answer(_("The log is empty."))
        return
    lines = [_("🗒 <b>Log</b> (newest first)")]
    for entry in entries:
        details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        lines.append(
            "{when} · {actor} · <b>{action}</b> · {target}{details}".format(
                when=entry.at.astimezone(settings.tz).strftime("%d-%m %H:%M"),
                actor=entry.actor_id if entry.actor_id is not None else "–",
                action=html.escape(entry.action),
                target=html.escape(entry.target),
                details=f" · <code>{html.escape(details[:200], quote=False)}</code>"
                if entry.details
                else "",
            )
        )
    footer = _("The whole log: /export audit")
    while len("\n".join([*lines, footer])) > 4000:  # one Telegram message
        lines.pop()
    lines.append(footer)
    await message.answer("\n".join(lines))


def create_router() -> Router:
    router = Router(name="audit")
    router.message.register(cmd_log, Command("log"), IsCoordinator())
    return router
