"""/instellingen: the weekly digest on or off, and which themes and municipalities it covers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.i18n import _
from bot.keyboards.callbacks import DigestAction, DigestCallback
from bot.services.events import digest
from bot.views.digest import digest_picker, digest_settings, offered
from bot.views.messages import edit_or_keep
from storage.models import DigestSubscription
from storage.repositories import Repo


async def cmd_settings(message: Message, repo: Repo, clock: Clock, locale: str) -> None:
    """Shows the weekly overview setting with buttons to change it."""
    if message.from_user is None:
        return
    found = await digest.subscription(repo, message.from_user.id, now=clock.now())
    text, keyboard = digest_settings(found, locale)
    await message.answer(text, reply_markup=keyboard)


async def cb_switch(
    query: CallbackQuery, callback_data: DigestCallback, repo: Repo, clock: Clock, locale: str
) -> None:
    """[Turn on] / [Turn off] the weekly overview."""
    on = callback_data.action == DigestAction.ON
    found = await digest.toggle(repo, query.from_user.id, now=clock.now(), active=on)
    await query.answer(_("Weekly overview on.") if on else _("Weekly overview off."))
    await _show(query, found, locale)


async def cb_show(
    query: CallbackQuery, callback_data: DigestCallback, repo: Repo, clock: Clock, locale: str
) -> None:
    """[Done] in a list, or the lists themselves: the setting or the themes/municipalities."""
    found = await digest.subscription(repo, query.from_user.id, now=clock.now())
    await query.answer()
    picked = {DigestAction.THEMES: "theme", DigestAction.PLACES: "place"}
    await _show(query, found, locale, picked.get(callback_data.action))


async def cb_tick(
    query: CallbackQuery, callback_data: DigestCallback, repo: Repo, clock: Clock, locale: str
) -> None:
    """Ticks or unticks a theme or a municipality (one the bot offers; others change nothing)."""
    field, value = str(callback_data.action), callback_data.value
    if value and not offered(field, value):
        await query.answer()  # a button the bot never made: nothing is stored
        return
    if not value:
        found = await digest.subscription(repo, query.from_user.id, now=clock.now())
    elif field == "theme":
        found = await digest.toggle(repo, query.from_user.id, now=clock.now(), theme=value)
    else:
        found = await digest.toggle(repo, query.from_user.id, now=clock.now(), municipality=value)
    await query.answer()
    await _show(query, found, locale, field)


async def _show(
    query: CallbackQuery, found: DigestSubscription, locale: str, picker: str | None = None
) -> None:
    if not isinstance(query.message, Message):
        return
    if picker == "theme":
        text = _("Which themes interest you? None ticked means all.")
        await edit_or_keep(query.message, text, digest_picker(found, "theme", locale))
    elif picker == "place":
        text = _("Which municipalities? None ticked means all.")
        await edit_or_keep(query.message, text, digest_picker(found, "place", locale))
    else:
        text, keyboard = digest_settings(found, locale)
        await edit_or_keep(query.message, text, keyboard)


def create_router() -> Router:
    router = Router(name="settings")
    router.message.register(cmd_settings, Command("instellingen", "settings"))
    setting = DigestCallback.filter
    router.callback_query.register(
        cb_switch, setting(F.action.in_({DigestAction.ON, DigestAction.OFF}))
    )
    router.callback_query.register(
        cb_show,
        setting(F.action.in_({DigestAction.SHOW, DigestAction.THEMES, DigestAction.PLACES})),
    )
    router.callback_query.register(
        cb_tick, setting(F.action.in_({DigestAction.THEME, DigestAction.PLACE}))
    )
    return router
