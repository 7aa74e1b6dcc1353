"""What a handler can ask for by name: aiogram's own data, the app-wide objects the Dispatcher
was built with, and what the middlewares add per update. A handler that passes the lot on takes
`**data: Unpack[HandlerData]` instead of `**data: Any`, so every read is typed."""

from __future__ import annotations

from typing import TypedDict

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Chat
from aiogram.types import User as TelegramUser
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.services.search.index_sync import SearchIndexHolder
from storage.engine import SessionPool
from storage.models import User
from storage.repositories import Repo


class HandlerData(TypedDict, total=False):
    # aiogram
    bot: Bot
    state: FSMContext
    event_from_user: TelegramUser
    event_chat: Chat
    # app-wide, given to the Dispatcher (bot/app.py)
    settings: Settings
    session_pool: SessionPool
    clock: Clock
    i18n: CatalogI18n
    scheduler: AsyncIOScheduler
    search_index: SearchIndexHolder
    # per update, from the middlewares (database → user → locale)
    repo: Repo
    user: User
    locale: str
