"""Console mode: the bot as a terminal chat on demo data, for trying every role without Telegram."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app import close_application, create_application
from bot.clock import OffsetClock
from bot.config import Settings
from bot.console.chat import ConsoleChat, read_lines
from bot.console.session import ConsoleSession
from bot.demo.personas import PERSONAS
from bot.middlewares.throttling import ThrottlingMiddleware


async def run_console(
    settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    clock = OffsetClock()
    names = {p.user_id: p.first_name for p in PERSONAS}
    session = ConsoleSession(out, clock.now, names)
    # Console input is one person at a keyboard or a pipe of lines: never flood control, so a
    # piped script loses no line.
    unthrottled = ThrottlingMiddleware(limit=10**9)
    app = create_application(settings, clock=clock, bot_session=session, throttling=unthrottled)
    chat = ConsoleChat(app, session, out)
    dispatcher = app.dispatcher
    await dispatcher.emit_startup(bot=app.bot, dispatcher=dispatcher, **dispatcher.workflow_data)
    try:
        if stdin.isatty():
            out.write(
                f"Samenspel console — you are {chat.persona.first_name}. "
                "Type /start, or :help for console commands.\n"
            )
        async for line in read_lines(stdin):
            if not await chat.handle_line(line):
                break
    finally:
        await dispatcher.emit_shutdown(
            bot=app.bot, dispatcher=dispatcher, **dispatcher.workflow_data
        )
        await close_application(app)
