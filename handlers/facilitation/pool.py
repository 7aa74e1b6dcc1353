"""/beschikbaarheid: a facilitator's own settings — periods they can't lead tables, favourite
themes and municipalities, and at most how many tables a month."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.dates import format_day
from bot.filters.roles import IsFacilitator
from bot.i18n import _
from bot.keyboards.callbacks import FacSettingsAction, FacSettingsCallback
from bot.keyboards.facilitation import settings_keyboard
from bot.services.facilitation import availability
from bot.views.agenda import WORDS
from bot.views.availability import availability_text
from storage.repositories import Repo


async def settings_view(
    repo: Repo, user_id: int, *, clock: Clock, settings: Settings, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    mine = await availability.settings(repo, user_id, now=clock.now())
    text = availability_text(mine, locale, settings.tz)
    return text, settings_keyboard(mine.periods, mine.profile.max_per_month)


async def cmd_availability(
    message: Message,
    command: CommandObject,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Shows your availability settings, or adds a period / sets a preference."""
    if message.from_user is None:
        return
    user_id, args = message.from_user.id, (command.args or "").strip()
    first, _sep, rest = args.partition(" ")
    what = WORDS.get(first.lower())
    if what is not None:
        await availability.set_preference(repo, user_id, what, rest, now=clock.now())
        await message.answer(_("Saved."))
    elif args:
        await _add_period(message, user_id, args, repo, clock, settings, locale)
    text, keyboard = await settings_view(
        repo, user_id, clock=clock, settings=settings, locale=locale
    )
    await message.answer(text, reply_markup=keyboard)


async def _add_period(
    message: Message, user_id: int, typed: str, repo: Repo, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """Notes the period, and names the tables the person leads in it."""
    _period, clashes = await availability.add_period(
        repo, user_id, typed, now=clock.now(), tz=settings.tz
    )
    await message.answer(_("Noted: we won't ask you in that period."))
    for _request, event in clashes:
        await message.answer(
            _(
                "Note: you lead <b>{title}</b> on {day}. Can't make it? Use "
                "/myagenda to let us know."
            ).format(
                title=html.escape(event.title),
                day=format_day(event.starts_at, locale, settings.tz),
            )
        )


async def cb_remove_period(
    query: CallbackQuery, callback_data: FacSettingsCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """[Remove period …]: the period goes; the settings are shown again."""
    if not await availability.remove_period(repo, query.from_user.id, callback_data.value):
        await query.answer(_("That period was already removed."))
        return
    await _saved(query, repo, clock, settings, locale)


async def cb_set_maximum(
    query: CallbackQuery, callback_data: FacSettingsCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """A monthly maximum's button (0: no maximum); the settings are shown again."""
    value = "-" if callback_data.value == 0 else str(callback_data.value)  # -1 is refused
    await availability.set_preference(repo, query.from_user.id, "max", value, now=clock.now())
    await _saved(query, repo, clock, settings, locale)


async def _saved(
    query: CallbackQuery, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    await query.answer(_("Saved."))
    if isinstance(query.message, Message):
        text, keyboard = await settings_view(
            repo, query.from_user.id, clock=clock, settings=settings, locale=locale
        )
        await query.message.edit_text(text, reply_markup=keyboard)


def create_router() -> Router:
    router = Router(name="facilitation")
    facilitator = IsFacilitator()
    router.message.register(
        cmd_availability, Command("beschikbaarheid", "availability"), facilitator
    )
    setting = FacSettingsCallback.filter
    router.callback_query.register(
        cb_remove_period, setting(F.action == FacSettingsAction.DEL), facilitator
    )
    router.callback_query.register(
        cb_set_maximum, setting(F.action == FacSettingsAction.MAX), facilitator
    )
    return router
