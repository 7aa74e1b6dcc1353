"""What every job gets: the session pool, the clock and the settings (and for jobs that edit
messages, the Bot and the catalogs)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import CatalogI18n
from storage.engine import SessionPool


@dataclass(frozen=True, slots=True)
class JobContext:
    session_pool: SessionPool
    clock: Clock
    settings: Settings
    # For jobs that edit messages (the broadcast progress), in the recipient's language.
    bot: Bot | None = None
    i18n: CatalogI18n | None = None
