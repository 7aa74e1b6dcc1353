"""/agenda, /tafels, /trainingen and the menu's agenda: upcoming events with filters and pages,
and the card of one event (also opened by the deep link `e_<id>`)."""

from __future__ import annotations

from typing import Unpack

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.deeplinks import deep_link
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventListCallback,
    MenuAction,
    MenuCallback,
)
from bot.keyboards.events import PICKERS
from bot.services.events.inputs import parse_period
from bot.services.events.registrations import EventNotFoundError
from bot.views.events import agenda_message, card_message, picker_message
from bot.views.messages import edit_or_keep
from storage.repositories import Repo


async def _show_agenda(
    message: Message, request: EventListCallback, **data: Unpack[HandlerData]
) -> None:
    text, keyboard = await agenda_message(
        data["repo"], request, clock=data["clock"], settings=data["settings"], locale=data["locale"]
    )
    await message.answer(text, reply_markup=keyboard)


async def cmd_agenda(message: Message, command: CommandObject, **data: Unpack[HandlerData]) -> None:
    """Shows all upcoming events, soonest first, with filters; "/agenda maart" or
    "/agenda 12 december" those of that month or day."""
    when = ""
    if command.args:
        try:
            when = parse_period(command.args, now=data["clock"].now(), tz=data["settings"].tz)
        except ValueError:
            await message.answer(
                _(
                    "I can't read that date. Try for example <code>/agenda march</code>, "
                    "<code>/agenda 12 december</code> or <code>/agenda next week</code>."
                )
            )
            return
    await _show_agenda(message, EventListCallback(when=when), **data)


async def cmd_tables(message: Message, **data: Unpack[HandlerData]) -> None:
    """Shows the upcoming dialogue tables."""
    await _show_agenda(message, EventListCallback(kind="table"), **data)


async def cmd_trainings(message: Message, **data: Unpack[HandlerData]) -> None:
    """Shows the upcoming trainings."""
    await _show_agenda(message, EventListCallback(kind="training"), **data)


async def cb_menu_agenda(query: CallbackQuery, **data: Unpack[HandlerData]) -> None:
    """The menu's agenda button: the same list as /agenda."""
    await query.answer()
    if isinstance(query.message, Message):
        await _show_agenda(query.message, EventListCallback(), **data)


async def cb_browse(
    query: CallbackQuery,
    callback_data: EventListCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Another page or filter of the agenda (or the theme/place picker) in the same message."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    field = PICKERS.get(callback_data.pick)
    if field is not None:
        text, keyboard = await picker_message(
            repo, callback_data, field, clock=clock, settings=settings, locale=locale
        )
    else:
        text, keyboard = await agenda_message(
            repo, callback_data, clock=clock, settings=settings, locale=locale
        )
    await edit_or_keep(query.message, text, keyboard)


async def cb_open(
    query: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Sends the card of the tapped event."""
    try:
        text, keyboard = await card_message(
            repo,
            callback_data.event_id,
            query.from_user.id,
            clock=clock,
            settings=settings,
            locale=locale,
        )
    except EventNotFoundError:
        await query.answer(_("This event no longer exists."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=keyboard)


@deep_link("e_")
async def open_event_link(message: Message, argument: str, data: HandlerData) -> bool | str:
    """`?start=e_<id>` opens the card of that event."""
    if not argument.isdigit():
        return False
    user = data["user"]
    try:
        text, keyboard = await card_message(
            data["repo"],
            int(argument),
            user.id,
            clock=data["clock"],
            settings=data["settings"],
            locale=data["locale"],
        )
    except EventNotFoundError:
        return _("I can't find that event: it may have been called off or removed.")
    await message.answer(text, reply_markup=keyboard)
    return True


def create_router() -> Router:
    router = Router(name="events_browse")
    router.message.register(cmd_agenda, Command("agenda"))
    router.message.register(cmd_tables, Command("tafels", "tables"))
    router.message.register(cmd_trainings, Command("trainingen", "trainings"))
    router.callback_query.register(
        cb_menu_agenda, MenuCallback.filter(F.action == MenuAction.AGENDA)
    )
    router.callback_query.register(cb_browse, EventListCallback.filter())
    router.callback_query.register(cb_open, EventCallback.filter(F.action == EventAction.OPEN))
    return router
