"""The broadcast progress job: every few seconds it looks at the broadcasts being sent, edits
each coordinator's progress message ("1.240 / 3.000 verstuurd") and finishes the broadcasts
with nothing left (their report goes out through the outbox). Its state is in the database,
so after a restart it simply goes on."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError

from bot.services.coordination import broadcast_progress
from bot.views.broadcasts import progress_message
from scheduler.context import JobContext
from storage.repositories import Repo

logger = logging.getLogger(__name__)

BROADCAST_JOB_ID = "broadcast_progress"
INTERVAL_SECONDS = 3


async def run_broadcast_progress(ctx: JobContext) -> None:
    """One round: finish what is done, edit the progress messages that changed."""
    async with ctx.session_pool() as session:
        updates = await broadcast_progress.tick(Repo(session), now=ctx.clock.now())
    if ctx.bot is None or ctx.i18n is None:
        return
    for update in updates:
        if update.chat_id is None or update.message_id is None:
            continue
        text = progress_message(update, ctx.i18n, ctx.settings.default_locale)
        try:
            await ctx.bot.edit_message_text(
                text=text, chat_id=update.chat_id, message_id=update.message_id
            )
        except TelegramAPIError as exc:
            logger.info("progress of broadcast %s not edited: %s", update.broadcast_id, exc)
