"""/instellingen: the weekly digest on or off, and which themes and municipalities it covers."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.catalog.municipalities import MUNICIPALITIES
from bot.catalog.themes import THEMES
from bot.clock import Clock
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import DigestAction, DigestCallback
from bot.services.events import digest
from bot.views.event_card import theme_label
from bot.views.messages import edit_or_keep
from storage.models import DigestSubscription
from storage.repositories import Repo


def settings_view(found: DigestSubscription, locale: str) -> tuple[str, InlineKeyboardMarkup]:
    state = _("on") if found.active else _("off")
    themes = ", ".join(theme_label(str(t), locale) for t in found.themes) or _("all")
    places = ", ".join(str(p) for p in found.municipalities) or _("all")
    text = "\n".join(
        [
            "⚙️ <b>" + _("Settings") + "</b>",
            "",
            "📰 " + _("Weekly overview of new events and initiatives: {state}").format(state=state),
            "🏷 " + _("Themes: {themes}").format(themes=html.escape(themes)),
            "📍 " + _("Municipalities: {places}").format(places=html.escape(places)),
        ]
    )
    builder = InlineKeyboardBuilder()
    if found.active:
        builder.button(
            text="🔕 " + _("Turn off"), callback_data=DigestCallback(action=DigestAction.OFF)
        )
    else:
        builder.button(
            text="🔔 " + _("Turn on"), callback_data=DigestCallback(action=DigestAction.ON)
        )
    builder.button(
        text="🏷 " + _("Choose themes"), callback_data=DigestCallback(action=DigestAction.THEMES)
    )
    builder.button(
        text="📍 " + _("Choose municipalities"),
        callback_data=DigestCallback(action=DigestAction.PLACES),
    )
    builder.adjust(1, 2)
    return text, builder.as_markup()


def _picker(found: DigestSubscription, field: str, locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if field == "theme":
        options = [(slug, theme_label(slug, locale)) for slug in THEMES]
        chosen = {str(t) for t in found.themes}
    else:
        options = [(m.name, m.name) for m in MUNICIPALITIES]
        chosen = {str(p) for p in found.municipalities}
    for value, label in options:
        mark = "✓ " if value in chosen else ""
        builder.button(text=mark + label, callback_data=DigestCallback(action=field, value=value))
    builder.button(text="◀ " + _("Done"), callback_data=DigestCallback(action=DigestAction.SHOW))
    builder.adjust(2)
    return builder.as_markup()


async def cmd_settings(message: Message, repo: Repo, clock: Clock, locale: str) -> None:
    """Shows the weekly overview setting with buttons to change it."""
    if message.from_user is None:
        return
    found = await digest.subscription(repo, message.from_user.id, now=clock.now())
    text, keyboard = settings_view(found, locale)
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
    known = THEMES if field == "theme" else {m.name for m in MUNICIPALITIES}
    if value and value not in known:
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
        await edit_or_keep(query.message, text, _picker(found, "theme", locale))
    elif picker == "place":
        text = _("Which municipalities? None ticked means all.")
        await edit_or_keep(query.message, text, _picker(found, "place", locale))
    else:
        text, keyboard = settings_view(found, locale)
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
