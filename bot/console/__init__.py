"""Console mode: the bot as a terminal chat on demo data, for trying every role without Telegram."""

from __future__ import annotations

import logging
import socket
import sys
from typing import TextIO

from aiohttp import web

from bot.app import Application, close_application, create_application
from bot.clock import OffsetClock
from bot.config import Settings
from bot.console.chat import ConsoleChat, read_lines
from bot.console.session import ConsoleSession
from bot.demo.personas import PERSONAS
from bot.middlewares.throttling import ThrottlingMiddleware
from webapp.server import serve_map

logger = logging.getLogger(__name__)


async def run_console(
    settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    clock = OffsetClock()
    names = {p.user_id: p.first_name for p in PERSONAS}
    session = ConsoleSession(out, clock.now, names)
    # Console input is one person at a keyboard or a pipe of lines: never flood control, so a
    # piped script loses no line.
    unthrottled = ThrottlingMiddleware(limit=10**9)
    # The map runs on this machine; its buttons in the chat show its address.
    port = _free_port(settings.webhook_port)
    settings = settings.model_copy(update={"webapp_url": f"http://127.0.0.1:{port}"})
    app = create_application(settings, clock=clock, bot_session=session, throttling=unthrottled)
    chat = ConsoleChat(app, session, out)
    dispatcher = app.dispatcher
    await dispatcher.emit_startup(bot=app.bot, dispatcher=dispatcher, **dispatcher.workflow_data)
    map_server = await _serve_map(app, port)
    try:
        if stdin.isatty():
            out.write(
                f"Samenspel console — you are {chat.persona.first_name}. "
                "Type /start, or :help for console commands.\n"
            )
            if map_server is not None:
                out.write(f"The map: {settings.webapp_url}/webapp/ (open it in a browser)\n")
        async for line in read_lines(stdin):
            if not await chat.handle_line(line):
                break
    finally:
        if map_server is not None:
            await map_server.cleanup()
        await dispatcher.emit_shutdown(
            bot=app.bot, dispatcher=dispatcher, **dispatcher.workflow_data
        )
        await close_application(app)


def _free_port(preferred: int) -> int:
    """`preferred` when nothing listens there yet, else any free port of this machine."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    return preferred


async def _serve_map(app: Application, port: int) -> web.AppRunner | None:
    """The map on localhost; the console goes on without it when the port is taken."""
    try:
        return await serve_map(app, host="127.0.0.1", port=port)
    except OSError as exc:
        logger.warning("the map could not start on port %s: %s", port, exc)
        return None
