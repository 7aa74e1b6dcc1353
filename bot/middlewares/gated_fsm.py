"""aiogram's conversation-state middleware, through the Redis gate: a repeat is dropped, the lock
taken and the state read in one round trip, and the changes written with the unlock in one more
call that the update does not wait for (see `update_gate`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiogram import Bot, Dispatcher
from aiogram.fsm.context import FSMContext
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.strategy import FSMStrategy
from aiogram.types import TelegramObject, Update

from bot.middlewares.update_gate import Entry, GatedStorage, RedisUpdateGate

logger = logging.getLogger(__name__)


class GatedFSMContextMiddleware(FSMContextMiddleware):
    def __init__(self, gate: RedisUpdateGate, strategy: FSMStrategy) -> None:
        super().__init__(gate.storage, gate.isolation, strategy)
        self.gate = gate

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot = cast(Bot, data["bot"])
        update = cast(Update, event)
        context = self.resolve_event_context(bot, data)
        data["fsm_storage"] = self.storage
        entry, passage = await self.gate.enter(
            bot.id, update.update_id, context.key if context else None
        )
        if entry == Entry.REPEAT:
            logger.info("update %s arrived again; skipped", update.update_id)
            return None
        if passage is None:
            return await handler(event, data)
        if entry == Entry.BUSY:
            await self.gate.wait_for_lock(passage)
        try:
            state = FSMContext(storage=GatedStorage(self.gate.storage, passage), key=passage.key)
            data.update({"state": state, "raw_state": passage.state})
            return await handler(event, data)
        finally:
            await self.gate.leave(passage)


def pass_updates_through(dispatcher: Dispatcher, gate: RedisUpdateGate) -> None:
    """Puts the gate in place of the dispatcher's own conversation-state middleware (right
    after aiogram's error and user-context middlewares, before any of ours)."""
    dispatcher.update.outer_middleware.unregister(dispatcher.fsm)
    dispatcher.fsm = GatedFSMContextMiddleware(gate, dispatcher.fsm.strategy)
    dispatcher.update.outer_middleware.register(dispatcher.fsm)
    dispatcher.shutdown.register(gate.close)
