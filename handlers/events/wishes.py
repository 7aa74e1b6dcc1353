"""The flexible waitlist: 🔔 on a full card puts a wish like that event on your list; ✖ in
/mijnagenda takes one off."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
from bot.keyboards.callbacks import WishAction, WishCallback
from bot.services.events import wishes
from bot.views.messages import edit_or_keep
from bot.views.wishes import wish_added_text
from handlers.events.agenda import agenda_view
from storage.repositories import Repo


async def cb_add_wish(
    query: CallbackQuery, callback_data: WishCallback, repo: Repo, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """🔔 on a full card: every such event in that week (a training: that month)."""
    made = await wishes.add_wish_like(
        repo, query.from_user.id, callback_data.id, now=clock.now(), tz=settings.tz
    )
    if made is None:
        await query.answer(_("This event no longer exists."), show_alert=True)
        return
    spec, added = made
    await query.answer(wish_added_text(spec, added, locale, settings.tz), show_alert=True)


async def cb_drop_wish(
    query: CallbackQuery, callback_data: WishCallback, repo: Repo, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """✖ next to a wish in /mijnagenda."""
    removed = await wishes.remove(repo, query.from_user.id, callback_data.id)
    await query.answer(_("Taken off your list.") if removed else _("That was not on your list."))
    if isinstance(query.message, Message):
        text, keyboard = await agenda_view(
            repo, query.from_user.id, clock=clock, settings=settings, locale=locale
        )
        await edit_or_keep(query.message, text, keyboard)


def create_router() -> Router:
    router = Router(name="events_wishes")
    router.callback_query.register(cb_add_wish, WishCallback.filter(F.action == WishAction.ADD))
    router.callback_query.register(cb_drop_wish, WishCallback.filter(F.action == WishAction.DROP))
    return router
