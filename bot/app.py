"""The composition root: the only place that builds the Bot, Dispatcher and scheduler."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.bot_api_session import JsonBodySession
from bot.catalog import certificates
from bot.clock import Clock, SystemClock
from bot.commands import register_commands
from bot.config import Settings
from bot.delivery import Limits, RateLimiter, Sender
from bot.delivery.limits import SendLimiter
from bot.delivery.shared_limits import SharedRateLimiter
from bot.filters.on_the_loop import run_filters_on_the_loop
from bot.filters.prechecks import check_cheap_parts_first, skip_routers_nothing_fits
from bot.i18n import CatalogI18n, create_i18n
from bot.keyboards.map import MapLinkMiddleware, set_map_menu_button
from bot.metrics import MetricsMiddleware, UpdateMetrics
from bot.middlewares.callback_guard import CallbackGuardMiddleware
from bot.middlewares.database import DatabaseMiddleware
from bot.middlewares.dedup import (
    DeduplicatingDispatcher,
    MemorySeenUpdates,
    SeenUpdates,
)
from bot.middlewares.gated_fsm import pass_updates_through
from bot.middlewares.i18n import LocaleMiddleware
from bot.middlewares.input_edge import ImpossibleNumberMiddleware, NulCleaningMiddleware
from bot.middlewares.message_limits import SplitLongTextMiddleware
from bot.middlewares.replies import HandlingUpdateMiddleware, ReplyRetryMiddleware
from bot.middlewares.reply_keyboards import (
    ReplyKeyboardRequestMiddleware,
    StaleReplyButtonMiddleware,
)
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.middlewares.update_gate import RedisUpdateGate
from bot.middlewares.user import UserMiddleware
from bot.response_models import KeepResponseModelsMiddleware
from bot.search.snapshot import SnapshotFile
from bot.services.change_broadcast import ChangeBroadcast
from bot.services.geocoding import Geocoder
from bot.services.known_users import SHARED_TTL, TTL, KnownUsers
from bot.services.known_users import register as register_known_users
from bot.services.search.index_sync import SearchIndexHolder
from bot.telegram_models import build_everyday_models
from handlers import feature_routers
from scheduler.context import JobContext
from scheduler.jobs import register_jobs, run_jobs_that_came_due
from scheduler.setup import build_scheduler
from storage.engine import SessionPool, create_engine, create_session_pool, open_connections
from storage.models import Role
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# A syntactically valid token for console mode, where nothing talks to Telegram.
CONSOLE_TOKEN = "1000000001:console-mode-has-no-telegram-token-x"


@dataclass
class Application:
    settings: Settings
    engine: AsyncEngine
    session_pool: SessionPool
    bot: Bot
    dispatcher: Dispatcher
    scheduler: AsyncIOScheduler
    clock: Clock
    i18n: CatalogI18n
    sender: Sender
    extras: dict[str, object] = field(default_factory=dict)

    async def run_jobs_that_came_due(self, since: datetime, until: datetime) -> list[str]:
        """The periodic jobs that would have run while the clock moved from `since` to
        `until` (console mode's `:clock`), once each; returns their ids."""
        context = JobContext(
            self.session_pool, self.clock, self.settings, bot=self.bot, i18n=self.i18n
        )
        return await run_jobs_that_came_due(context, since, until)


def build_bot(
    settings: Settings,
    session: BaseSession | None = None,
    reply_retry: ReplyRetryMiddleware | None = None,
) -> Bot:
    """A Bot that talks to Telegram, to a self-hosted Bot API server, or to `session`."""
    if session is None:
        session = JsonBodySession()
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    session.middleware(KeepResponseModelsMiddleware())
    session.middleware(reply_retry or ReplyRetryMiddleware())
    session.middleware(SplitLongTextMiddleware())
    session.middleware(ReplyKeyboardRequestMiddleware())
    return Bot(
        token=settings.token or CONSOLE_TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


@dataclass(frozen=True, slots=True)
class SharedState:
    """What several bot processes must share: conversation state, per-user locks, seen updates.
    With Redis, the gate handles all three in two round trips per update (no `seen_updates`)."""

    storage: BaseStorage
    isolation: BaseEventIsolation
    seen_updates: SeenUpdates | None
    gate: RedisUpdateGate | None = None


def build_shared_state(settings: Settings) -> SharedState:
    """In Redis when REDIS_URL is set (several processes), else in this process's memory."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(settings.redis_url)
        isolation = RedisEventIsolation(storage.redis)
        gate = RedisUpdateGate(storage, isolation)
        return SharedState(storage, isolation, None, gate)
    return SharedState(MemoryStorage(), SimpleEventIsolation(), MemorySeenUpdates())


def build_fsm_storage(settings: Settings) -> BaseStorage:
    """Conversation state in Redis when REDIS_URL is set, else in memory."""
    return build_shared_state(settings).storage


def search_snapshot(settings: Settings) -> SnapshotFile | None:
    path = settings.search_snapshot_file()
    return None if path is None else SnapshotFile(path)


def build_dispatcher(
    settings: Settings,
    *,
    session_pool: SessionPool,
    clock: Clock,
    i18n: CatalogI18n,
    scheduler: AsyncIOScheduler,
    storage: BaseStorage | None = None,
    throttling: ThrottlingMiddleware | None = None,
    shared: SharedState | None = None,
) -> Dispatcher:
    shared = shared or build_shared_state(settings)
    dispatcher = DeduplicatingDispatcher(
        seen_updates=shared.seen_updates,
        storage=storage or shared.storage,
        events_isolation=shared.isolation,
        settings=settings,
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=scheduler,
        search_index=SearchIndexHolder(snapshot=search_snapshot(settings)),
    )
    if shared.gate is not None:  # the state lives in Redis: `storage` is for memory only
        pass_updates_through(dispatcher, shared.gate)
    # With several processes, another one may change a person: remember them only briefly.
    ttl = SHARED_TTL if settings.redis_url else TTL
    dispatcher["known_users"] = register_known_users(KnownUsers(ttl=ttl))
    metrics = UpdateMetrics()
    dispatcher["metrics"] = metrics
    dispatcher["geocoder"] = Geocoder(
        settings.geocoder_url, timeout_seconds=settings.geocoder_timeout_seconds
    )
    dispatcher.update.outer_middleware(MetricsMiddleware(metrics))
    dispatcher.update.outer_middleware(NulCleaningMiddleware())
    dispatcher.update.outer_middleware(HandlingUpdateMiddleware())
    # Order: a DB session first, so the user can be looked up, so their language can be chosen.
    dispatcher.update.outer_middleware(MapLinkMiddleware(settings.webapp_url))
    dispatcher.update.outer_middleware(DatabaseMiddleware())
    dispatcher.update.outer_middleware(UserMiddleware())
    dispatcher.update.outer_middleware(LocaleMiddleware(i18n))
    dispatcher.update.outer_middleware(ImpossibleNumberMiddleware())
    dispatcher.update.outer_middleware(throttling or ThrottlingMiddleware())
    dispatcher.callback_query.outer_middleware(CallbackGuardMiddleware())
    dispatcher.message.outer_middleware(StaleReplyButtonMiddleware())
    dispatcher.callback_query.outer_middleware(StaleReplyButtonMiddleware())
    dispatcher.include_routers(*feature_routers())
    run_filters_on_the_loop(dispatcher)
    check_cheap_parts_first(dispatcher)
    skip_routers_nothing_fits(dispatcher)
    dispatcher.startup.register(_on_startup)
    dispatcher.shutdown.register(_on_shutdown)
    return dispatcher


async def _on_startup(
    bot: Bot,
    settings: Settings,
    i18n: CatalogI18n,
    session_pool: SessionPool,
    clock: Clock,
    scheduler: AsyncIOScheduler,
    sender: Sender | None = None,
    search_index: SearchIndexHolder | None = None,
) -> None:
    async with session_pool() as session:
        coordinators = await Repo(session).users.with_role(Role.COORDINATOR)
        facilitators = await Repo(session).users.with_role(Role.FACILITATOR)
    # Before anyone is answered: the first updates after a start do not each open one.
    await open_connections(session_pool.kw["bind"])
    if search_index is not None:
        search_index.load_in_background(session_pool)
    chat_ids = set(settings.coordinator_ids) | {user.id for user in coordinators}
    await register_commands(bot, i18n, sorted(chat_ids), [user.id for user in facilitators])
    if settings.webapp_url:
        await set_map_menu_button(bot, i18n, settings.webapp_url)
    if sender is not None:
        register_jobs(
            scheduler, JobContext(session_pool, clock, settings, bot=bot, i18n=i18n), sender
        )
    if not scheduler.running:
        scheduler.start()
    logger.info("bot started")


async def _on_shutdown(
    scheduler: AsyncIOScheduler,
    session_pool: SessionPool,
    sender: Sender | None = None,
    search_index: SearchIndexHolder | None = None,
) -> None:
    if search_index is not None:
        await search_index.stop_loading()
    if scheduler.running:
        scheduler.shutdown(wait=False)
    if sender is not None:
        await sender.close()
    if search_index is not None:
        await _save_search_index(search_index, session_pool)
    logger.info("bot stopped")


async def _save_search_index(search_index: SearchIndexHolder, session_pool: SessionPool) -> None:
    """Last: the next start reads the index back instead of building it (a failure only
    means the next start builds it)."""
    try:
        async with session_pool() as session:
            await search_index.save(Repo(session))
    except Exception:
        logger.warning("the search index was not saved", exc_info=True)


def create_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    bot_session: BaseSession | None = None,
    throttling: ThrottlingMiddleware | None = None,
) -> Application:
    certificates.configure(settings.certificate_validity_days)
    build_everyday_models()
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
    session_pool = create_session_pool(engine)
    clock = clock or SystemClock()
    i18n = create_i18n(settings.default_locale)
    scheduler = build_scheduler()
    bot = build_bot(settings, bot_session)
    limits = Limits(overall_per_second=settings.delivery_rate)
    extras: dict[str, object] = {}
    limiter: SendLimiter
    if settings.redis_url:
        # Every process's sender shares one limit (Telegram's is the bot's, not the process's).
        from redis.asyncio import Redis

        extras["redis"] = redis = Redis.from_url(settings.redis_url)
        limiter = SharedRateLimiter(redis, limits, prefix=f"samenspel:rate:{bot.id}")
    else:
        limiter = RateLimiter(limits)
    sender = Sender(bot, session_pool, clock, i18n, settings, limiter)
    dispatcher = build_dispatcher(
        settings, session_pool=session_pool, clock=clock, i18n=i18n, scheduler=scheduler,
        throttling=throttling,
    )  # fmt: skip
    if settings.redis_url:
        # Changes to people and to the search are announced to the other processes: keep people
        # the full TTL.
        changes = ChangeBroadcast(redis)
        extras["changes"] = changes
        dispatcher.startup.register(changes.start)
        dispatcher.shutdown.register(changes.stop)
        dispatcher["known_users"].ttl = TTL
    dispatcher["sender"] = sender
    return Application(
        settings=settings,
        engine=engine,
        session_pool=session_pool,
        bot=bot,
        dispatcher=dispatcher,
        scheduler=scheduler,
        clock=clock,
        i18n=i18n,
        sender=sender,
        extras=extras,
    )


async def close_application(app: Application) -> None:
    changes = app.extras.get("changes")
    if isinstance(changes, ChangeBroadcast):
        await changes.stop()
    await app.bot.session.close()
    await app.engine.dispose()
    redis = app.extras.get("redis")
    if redis is not None:
        await redis.aclose()  # type: ignore[attr-defined]
