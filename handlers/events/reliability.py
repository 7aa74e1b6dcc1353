"""/mijnstatus: someone's own reliability record; /vergeef: a coordinator sets it to zero."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.services.events import reliability
from bot.services.events.record import record_of
from bot.services.facilitation.pool import UnknownPersonError
from bot.views.reliability import forgive_usage, forgiven_text, record_text, unknown_person
from storage.repositories import Repo


async def cmd_my_status(
    message: Message, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    """Shows the person's own record of late cancellations and no-shows."""
    if message.from_user is None:
        return
    record = await record_of(repo, message.from_user.id, now=clock.now())
    await message.answer(record_text(record, locale, settings.tz))


async def cmd_forgive(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/vergeef <id or @username>: the record goes back to zero; audited, the person told."""
    target = (command.args or "").strip()
    if not target or message.from_user is None:
        await message.answer(forgive_usage())
        return
    try:
        person, before = await reliability.forgive(
            repo, actor_id=message.from_user.id, target=target, now=clock.now()
        )
    except UnknownPersonError as problem:
        await message.answer(unknown_person(str(problem)))
        return
    await message.answer(forgiven_text(person, before))


def create_router() -> Router:
    router = Router(name="events_reliability")
    router.message.register(cmd_my_status, Command("mijnstatus", "mystatus"))
    router.message.register(cmd_forgive, Command("vergeef", "forgive"), IsCoordinator())
    return router
