"""A long paste is one message, also when Telegram cut it in parts.

Telegram's apps send a text longer than 4,096 characters as several messages: 4,096, then the
rest, a moment apart. Taken one by one, the first part was refused and the tail, starting in
the middle of a word, saved as an answer. Here a private text that fills a whole message waits
a moment for the parts that follow from the same chat; they are joined into the first message
and only that one goes on, so every step sees the whole paste and refuses it (with its length)
or takes it, as a whole.

This runs before the per-person lock and the conversation state, since the parts arrive as
separate updates that would otherwise wait for each other. The parts are gathered in this
process: behind a webhook Telegram sends one chat's updates to one connection in order, so
they reach the same process.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiogram.types import Message, Update

FULL_PART = 4000  # UTF-16 code units: a message this long is most likely cut off by Telegram
WAIT_SECONDS = 1.5  # how long the next part may take


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Paste:
    parts: list[Message]
    more: asyncio.Event = field(default_factory=asyncio.Event)
    seen: set[int] = field(default_factory=set)


class PastedParts:
    def __init__(self, wait_seconds: float = WAIT_SECONDS) -> None:
        self.wait_seconds = wait_seconds
        self._open: dict[int, _Paste] = {}

    async def gather(self, update: Update) -> Update | None:
        """The update to handle: this one, or (for the first part of a paste) one whose text is
        the whole paste; None for a later part, which was joined into the first."""
        message = update.message
        if message is None or message.chat.type != "private" or message.text is None:
            return update
        chat_id = message.chat.id
        paste = self._open.get(chat_id)
        if paste is not None:
            if message.message_id not in paste.seen:
                paste.seen.add(message.message_id)
                paste.parts.append(message)
                paste.more.set()
            return None
        if utf16_length(message.text) < FULL_PART:
            return update
        paste = _Paste([message], seen={message.message_id})
        self._open[chat_id] = paste
        try:
            while utf16_length(paste.parts[-1].text or "") >= FULL_PART:
                paste.more.clear()
                try:
                    await asyncio.wait_for(paste.more.wait(), self.wait_seconds)
                except TimeoutError:
                    break
        finally:
            del self._open[chat_id]
        if len(paste.parts) == 1:
            return update
        ordered = sorted(paste.parts, key=lambda part: part.message_id)
        whole = "".join(part.text or "" for part in ordered)
        joined = ordered[0].model_copy(update={"text": whole, "entities": None})
        return update.model_copy(update={"message": joined})
