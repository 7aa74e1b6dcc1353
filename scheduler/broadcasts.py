"""The broadcast progress job: every few seconds it looks at the broadcasts being sent, edits
each coordinator's progress message ("1.240 / 3.000 verstuurd") and finishes the broadcasts
with nothing left (their report goes out through the outbox). Its state is in the database,
so after a restart it simply goes on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram.exceptions import TelegramAPIError

from bot.i18n import pick_locale, speaking
from bot.notifications.broadcasts import finished_text, progress_text
from bot.services.coordination import broadcast_progress
from storage.repositories import Repo

if TYPE_CHECKING:
    from scheduler.jobs import JobContext

logger = logging.getLogger(__name__)

BROADCAST_JOB_ID = "broadcast_progress"
INTERVAL_SECONDS = 3


async def run_broadcast_progress(ctx: JobContext) -> None:
    """One round: finish what is done, edit the progress messages that changed."""
    async with ctx.session_pool() as session:
        repo = Repo(session)
        updates = await broadcast_progress.tick(repo, now=ctx.clock.now())
        if ctx.bot is None or ctx.i18n is None:
            return
        for update in updates:
            if update.chat_id is None or update.message_id is None:
                continue
            async with repo.read():
                coordinator = await repo.users.get(update.chat_id)
            locale = pick_locale(
                coordinator.language if coordinator else None,
                coordinator.telegram_language if coordinator else None,
                ctx.settings.default_locale,
            )
            with speaking(ctx.i18n, locale):
                text = (
                    finished_text(update.total, locale)
                    if update.finished
                    else progress_text(update.settled, update.total, locale)
                )
            try:
                await ctx.bot.edit_message_text(
                    text=text, chat_id=update.chat_id, message_id=update.message_id
                )
            except TelegramAPIError as exc:
                logger.info("progress of broadcast %s not edited: %s", update.broadcast_id, exc)
