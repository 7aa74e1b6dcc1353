"""/instellingen: the weekly digest on or off, and which themes and municipalities it covers."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.catalog.municipalities import MUNICIPALITIES
from bot.catalog.themes import THEMES
from bot.clock import Clock
from bot.i18n import _
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


async def cb_digest(
    query: CallbackQuery, callback_data: DigestCallback, repo: Repo, clock: Clock, locale: str
) -> None:
    """Turns the overview on/off, or opens and ticks the theme or municipality list."""
    user_id, now, action, value = (
        query.from_user.id,
        clock.now(),
        callback_data.action,
        callback_data.value,
    )
    if action not in ("on", "off", "theme", "place", "themes", "places", "show"):
        await query.answer()  # a button the bot never made: nothing is stored
        return
    if action == "theme" and value and value not in THEMES:
        await query.answer()
        return
    if action == "place" and value and value not in {m.name for m in MUNICIPALITIES}:
        await query.answer()
        return
    if action in ("on", "off"):
        found = await digest.toggle(repo, user_id, now=now, active=action == "on")
        await query.answer(
            _("Weekly overview on.") if action == "on" else _("Weekly overview off.")
        )
    elif action == "theme" and value:
        found = await digest.toggle(repo, user_id, now=now, theme=value)
        await query.answer()
    elif action == "place" and value:
        found = await digest.toggle(repo, user_id, now=now, municipality=value)
        await query.answer()
    else:
        found = await digest.subscription(repo, user_id, now=now)
        await query.answer()
    if not isinstance(query.message, Message):
        return
    if action in ("themes", "theme"):
        await edit_or_keep(
            query.message,
            _("Which themes interest you? None ticked means all."),
            _picker(found, "theme", locale),
        )
    elif action in ("places", "place"):
        await edit_or_keep(
            query.message,
            _("Which municipalities? None ticked means all."),
            _picker(found, "place", locale),
        )
    else:
        text, keyboard = settings_view(found, locale)
        await edit_or_keep(query.message, text, keyboard)


def create_router() -> Router:
    router = Router(name="settings")
    router.message.register(cmd_settings, Command("instellingen", "settings"))
    router.callback_query.register(cb_digest, DigestCallback.filter())
    return router
