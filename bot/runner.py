"""Running the bot against Telegram: long polling (default) or a webhook server."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import Application

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"


async def run_polling(app: Application) -> None:
    await app.bot.delete_webhook(drop_pending_updates=False)
    await app.dispatcher.start_polling(
        app.bot, allowed_updates=app.dispatcher.resolve_used_update_types(), handle_signals=True
    )


class WebhookHandler(SimpleRequestHandler):
    """aiogram's handler, refusing what can't be an update with 400 (after the secret check,
    so an unauthenticated caller learns nothing) instead of failing with 500."""

    async def handle(self, request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.verify_secret(secret, self.bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            body = await request.json(loads=self.bot.session.json_loads)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            return web.Response(body="Bad Request", status=400)
        return await super().handle(request)


def webhook_app(app: Application) -> web.Application:
    """An aiohttp application that checks Telegram's secret-token header on every request.
    Without WEBHOOK_SECRET the secret is derived from the bot token: never unauthenticated."""
    settings = app.settings
    secret = settings.effective_webhook_secret
    if not settings.webhook_secret:
        logger.info("webhook secret derived from the bot token (set WEBHOOK_SECRET to choose one)")
    web_app = web.Application()
    WebhookHandler(dispatcher=app.dispatcher, bot=app.bot, secret_token=secret).register(
        web_app, path=WEBHOOK_PATH
    )

    async def announce_webhook(bot: Bot, dispatcher: Dispatcher) -> None:
        await bot.set_webhook(
            f"{settings.webhook_url}{WEBHOOK_PATH}",
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )

    app.dispatcher.startup.register(announce_webhook)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    return web_app


async def run_webhook(app: Application) -> None:
    runner = web.AppRunner(webhook_app(app))
    await runner.setup()
    site = web.TCPSite(runner, host=app.settings.webhook_host, port=app.settings.webhook_port)
    await site.start()
    logger.info("webhook server listening")
    try:
        import asyncio

        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
