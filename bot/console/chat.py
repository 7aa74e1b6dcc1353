"""Console mode: the real Dispatcher, handlers, database and scheduler, with the terminal as chat.

Lines typed (or piped) in are messages from the current demo persona; `n` presses button n of
the latest message with buttons; `:reply`, `:location`, `:as`, `:clock` and `:quit` steer.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import timedelta
from typing import Any, TextIO

from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Location,
    Message,
    Update,
    User,
)

from bot.app import Application
from bot.clock import OffsetClock
from bot.console.session import ConsoleSession
from bot.demo.personas import PERSONAS, Persona, find_persona

HELP = (
    "Console commands: type a message; a number presses a button of the bot's latest\n"
    "message (when that message has buttons; otherwise it is sent as text);\n"
    "  :press N           press button N of the latest message with buttons\n"
    "  :say TEXT          send TEXT as it is (also when it is only a number)\n"
    "  :reply TEXT        reply to the bot's latest message\n"
    "  :location LAT LON  share a location\n"
    "  :as NAME           talk as another persona ({names})\n"
    "  :clock +1d         move the clock forward (d, h or m)\n"
    "  :quit              stop\n"
)
_CLOCK_STEP = re.compile(r"^\+(\d+)([dhm])$")


class ConsoleChat:
    def __init__(self, app: Application, session: ConsoleSession, out: TextIO) -> None:
        self.app = app
        self.session = session
        self.out = out
        self.persona: Persona = PERSONAS[0]
        self.ids = itertools.count(1)
        session.current_chat = self.persona.user_id

    @property
    def telegram_user(self) -> User:
        p = self.persona
        return User(
            id=p.user_id, is_bot=False, first_name=p.first_name, language_code=p.language_code
        )

    async def handle_line(self, line: str) -> bool:
        """Act on one line of input; False when the chat should end."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._console_command(line)
        if line.isdigit() and self._latest_has_buttons():
            await self._press(int(line))
            return True
        await self._feed(message=self._message(text=line))
        return True

    async def _console_command(self, line: str) -> bool:
        name, _, rest = line.partition(" ")
        if name in (":quit", ":q", ":exit"):
            return False
        if name == ":as":
            persona = find_persona(rest)
            if persona is None:
                self._say(f"unknown persona; choose from {self._names()}")
            else:
                self.persona = persona
                self.session.current_chat = persona.user_id
                self._say(f"you are now {persona.first_name} ({persona.role.value})")
        elif name == ":press" and rest.strip().isdigit():
            await self._press(int(rest.strip()))
        elif name == ":say":
            await self._feed(message=self._message(text=rest))
        elif name == ":reply":
            previous = self.session.last_messages.get(self.persona.user_id)
            await self._feed(message=self._message(text=rest, reply_to=previous))
        elif name == ":location":
            await self._share_location(rest)
        elif name == ":clock":
            await self._move_clock(rest.strip())
        else:
            self._say(HELP.format(names=self._names()))
        return True

    def _latest_has_buttons(self) -> bool:
        """Whether the bot's latest message to this persona carries buttons: only then does a
        plain number press one ("Hoeveel plekken? 3" is an answer)."""
        chat = self.persona.user_id
        found = self.session.keyboards.get(chat)
        latest = self.session.last_messages.get(chat)
        return found is not None and latest is not None and found[0].message_id == latest.message_id

    async def _share_location(self, rest: str) -> None:
        try:
            latitude, longitude = (float(part) for part in rest.replace(",", " ").split())
        except ValueError:
            self._say("usage: :location 52.09 5.12")
            return
        location = Location(latitude=latitude, longitude=longitude)
        await self._feed(message=self._message(location=location))

    async def _move_clock(self, step: str) -> None:
        match = _CLOCK_STEP.match(step)
        clock = self.app.clock
        if match is None or not isinstance(clock, OffsetClock):
            self._say("usage: :clock +1d (or +3h, +30m)")
            return
        amount, unit = int(match.group(1)), match.group(2)
        since = clock.now()
        clock.advance(timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount}))
        self._say(f"the clock now says {clock.now():%Y-%m-%d %H:%M} UTC")
        ran = await self.app.run_jobs_that_came_due(since, clock.now())
        if ran:
            self._say("jobs that came due: " + ", ".join(ran))
        await self.app.sender.run_until_idle()

    async def _press(self, number: int) -> None:
        found = self.session.keyboards.get(self.persona.user_id)
        if found is None:
            self._say("there are no buttons to press")
            return
        message, keyboard = found
        rows = (
            keyboard.inline_keyboard
            if isinstance(keyboard, InlineKeyboardMarkup)
            else keyboard.keyboard
        )
        buttons = [button for row in rows for button in row]
        if not 1 <= number <= len(buttons):
            self._say(f"choose a button from 1 to {len(buttons)}")
            return
        button: Any = buttons[number - 1]
        if isinstance(keyboard, InlineKeyboardMarkup):
            if button.callback_data is None:
                opens = button.url or (button.web_app.url if button.web_app else None)
                self._say(f"that button opens {opens or 'something outside the chat'}")
                return
            query = CallbackQuery(
                id=str(next(self.ids)),
                from_user=self.telegram_user,
                chat_instance=str(self.persona.user_id),
                message=message,
                data=button.callback_data,
            )
            await self._feed(callback_query=query)
        elif getattr(button, "request_location", False):
            await self._feed(
                message=self._message(location=Location(latitude=52.0907, longitude=5.1214))
            )
        else:
            label = button if isinstance(button, str) else button.text
            await self._feed(message=self._message(text=label))

    def _message(
        self,
        *,
        text: str | None = None,
        location: Location | None = None,
        reply_to: Message | None = None,
    ) -> Message:
        return Message(
            message_id=next(self.session.message_ids),
            date=self.app.clock.now(),
            chat=Chat(id=self.persona.user_id, type="private", first_name=self.persona.first_name),
            from_user=self.telegram_user,
            text=text,
            location=location,
            reply_to_message=reply_to,
        )

    async def _feed(self, **event: Any) -> None:
        update = Update(update_id=next(self.ids), **event)
        await self.app.dispatcher.feed_update(self.app.bot, update)

    def _names(self) -> str:
        return ", ".join(p.key for p in PERSONAS)

    def _say(self, text: str) -> None:
        self.out.write(f"» {text}\n")
        self.out.flush()


async def read_lines(stream: TextIO) -> Any:
    """Yield input lines without blocking the event loop (the scheduler keeps running)."""
    while True:
        line = await asyncio.to_thread(stream.readline)
        if line == "":
            return
        yield line
