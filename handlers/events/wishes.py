"""The flexible waitlist: 🔔 on a full card puts a wish like that event on your list (✖ in
/mijnagenda takes one off, see `agenda.py`)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
from bot.keyboards.callbacks import WishAction, WishCallback
from bot.services.events import wishes
from bot.views.wishes import wish_added_text
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


def create_router() -> Router:
    router = Router(name="events_wishes")
    router.callback_query.register(cb_add_wish, WishCallback.filter(F.action == WishAction.ADD))
    return router
