"""The map's own web server, beside long polling or in console mode (with a webhook, the
webhook's server serves the map too), and `/healthz`, which every server of the bot answers."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.app import Application
from webapp.routes import add_webapp

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


async def alive(_request: web.Request) -> web.Response:
    """Liveness: the process answers."""
    return web.json_response({"status": "alive"})


async def serve_map(
    app: Application, *, host: str | None = None, port: int | None = None
) -> web.AppRunner:
    """The map (and /healthz) on a web server of its own: beside polling, or in console mode.
    Listens on the webhook's host and port unless told otherwise."""
    web_app = web.Application()
    add_webapp(web_app, app)
    web_app.router.add_get(HEALTH_PATH, alive)
    runner = web.AppRunner(web_app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(
        runner,
        host=host or app.settings.webhook_host,
        port=app.settings.webhook_port if port is None else port,
    )
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    logger.info("the map is served at %s/webapp/", app.settings.webapp_url or "this server")
    return runner
