"""Running the bot against Telegram: long polling (default) or a webhook server.

The webhook server also answers `/healthz` (the process lives) and `/readyz` (it can serve:
database and Redis reachable, search index loaded, not stopping), for a proxy and a process
supervisor. On SIGTERM or SIGINT it stops taking updates (503: Telegram delivers them again
later, to this or another process), lets those already taken finish (at most
`SHUTDOWN_GRACE_SECONDS`), then stops the scheduler and the sender and closes.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text

from bot.app import Application
from bot.metrics import render as render_metrics
from storage.engine import connection_counts
from storage.repositories import Repo
from webapp.routes import add_webapp
from webapp.server import HEALTH_PATH, alive, serve_map

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
READY_PATH = "/readyz"
# How long the database and Redis may take to answer `/readyz`.
READY_WITHIN_SECONDS = 2.0
METRICS_PATH = "/metrics"


async def run_polling(app: Application) -> None:
    """Long polling; with WEBAPP_URL set, the map's web server runs beside it."""
    await app.bot.delete_webhook(drop_pending_updates=False)
    map_server = await serve_map(app) if app.settings.webapp_url else None
    try:
        await app.dispatcher.start_polling(
            app.bot,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            handle_signals=True,
        )
    finally:
        if map_server is not None:
            await map_server.cleanup()


class WebhookHandler(SimpleRequestHandler):
    """aiogram's handler, refusing what can't be an update with 400 (after the secret check,
    so an unauthenticated caller learns nothing) instead of failing with 500, and new updates
    with 503 once the process is stopping."""

    def __init__(self, *args: Any, grace: float = 25.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stopping = False
        self.grace = grace

    async def handle(self, request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.verify_secret(secret, self.bot):
            return web.Response(body="Unauthorized", status=401)
        if self.stopping:
            return web.Response(body="Stopping", status=503)
        try:
            body = await request.json(loads=self.bot.session.json_loads)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            return web.Response(body="Bad Request", status=400)
        return await super().handle(request)

    async def close(self) -> None:
        """When the web application shuts down (first of its shutdown steps): no new updates,
        and those already taken finish. The bot's session is closed with the application,
        after the scheduler and the sender have stopped (they still talk to Telegram)."""
        self.stopping = True
        await self.finish_in_flight(self.grace)

    @property
    def in_flight(self) -> int:
        return len(self._background_feed_update_tasks)

    async def finish_in_flight(self, grace: float) -> int:
        """Wait (at most `grace` seconds) for the updates already taken; how many were left."""
        tasks = list(self._background_feed_update_tasks)
        if not tasks:
            return 0
        _done, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        return len(pending)


WEBHOOK_HANDLER = web.AppKey("webhook_handler", WebhookHandler)


def webhook_app(app: Application) -> web.Application:
    """An aiohttp application that checks Telegram's secret-token header on every request.
    Without WEBHOOK_SECRET the secret is derived from the bot token: never unauthenticated."""
    settings = app.settings
    secret = settings.effective_webhook_secret
    if not settings.webhook_secret:
        logger.info("webhook secret derived from the bot token (set WEBHOOK_SECRET to choose one)")
    web_app = web.Application()
    handler = WebhookHandler(
        dispatcher=app.dispatcher,
        bot=app.bot,
        secret_token=secret,
        grace=settings.shutdown_grace_seconds,
    )
    handler.register(web_app, path=WEBHOOK_PATH)
    web_app[WEBHOOK_HANDLER] = handler
    add_webapp(web_app, app)  # the map is served by the same server

    async def readyz(_request: web.Request) -> web.Response:
        problems = await readiness_problems(app, stopping=handler.stopping)
        status = 503 if problems else 200
        return web.json_response({"ready": not problems, "problems": problems}, status=status)

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(
            text=await metrics_text(app), content_type="text/plain", charset="utf-8"
        )

    web_app.router.add_get(HEALTH_PATH, alive)
    web_app.router.add_get(READY_PATH, readyz)
    web_app.router.add_get(METRICS_PATH, metrics)

    async def announce_webhook(bot: Bot, dispatcher: Dispatcher) -> None:
        await bot.set_webhook(
            f"{settings.webhook_url}{WEBHOOK_PATH}",
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )

    app.dispatcher.startup.register(announce_webhook)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    return web_app


async def metrics_text(app: Application) -> str:
    """The process's numbers in Prometheus's format (see `bot.metrics`)."""
    now = app.clock.now()
    connections = connection_counts(app.engine)  # before this request takes one of them
    async with app.session_pool() as session:
        repo = Repo(session)
        async with repo.read():
            backlog, oldest = await repo.outbox.backlog(now)
    updates = app.dispatcher.workflow_data["metrics"]
    return render_metrics(updates, app.sender.stats, backlog, oldest, now, connections)


async def readiness_problems(app: Application, *, stopping: bool = False) -> list[str]:
    """What keeps this process from serving: empty when it is ready."""
    problems = ["stopping"] if stopping else []

    async def database_answers() -> None:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    try:
        # Within two seconds, waiting for a connection included: with all of the process's
        # connections held that long, it can't serve either.
        await asyncio.wait_for(database_answers(), READY_WITHIN_SECONDS)
    except Exception as exc:  # any failure means: not ready (the reason goes to the log)
        logger.warning("not ready: the database can't be reached (%s)", type(exc).__name__)
        problems.append("database")
    redis = getattr(app.dispatcher.storage, "redis", None)
    if redis is not None:
        try:
            await asyncio.wait_for(redis.ping(), READY_WITHIN_SECONDS)
        except Exception as exc:  # idem
            logger.warning("not ready: Redis can't be reached (%s)", type(exc).__name__)
            problems.append("redis")
    index = app.dispatcher.workflow_data.get("search_index")
    if index is not None and not index.loaded:
        problems.append("search index")
    return problems


async def run_webhook(app: Application, *, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGTERM/SIGINT (or `stop`), then shut down without losing an update."""
    web_app = webhook_app(app)
    handler = web_app[WEBHOOK_HANDLER]
    runner = web.AppRunner(web_app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host=app.settings.webhook_host, port=app.settings.webhook_port)
    await site.start()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    logger.info("webhook server listening")
    try:
        await stop.wait()
        handler.stopping = True
        logger.info("stopping: %s updates in flight are finished first", handler.in_flight)
        left = await handler.finish_in_flight(app.settings.shutdown_grace_seconds)
        if left:
            logger.warning("stopped with %s updates unfinished after the grace period", left)
    finally:
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signal_number)
        await runner.cleanup()
        logger.info("webhook server stopped")
