"""/helpen: members switch on and off the themes their initiative answers questions on."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.catalog.themes import THEME_SLUGS, THEMES
from bot.clock import Clock
from bot.i18n import _
from bot.keyboards.callbacks import PeerAction, PeerCallback
from bot.keyboards.connections import initiatives_picker, theme_picker
from bot.services.connections import help_offers
from bot.services.connections import peer_questions as peers
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.errors import InitiativeError
from storage.models import User
from storage.repositories import Repo


async def _offer_view(
    message: Message, initiative_id: int, user: User, repo: Repo, locale: str, *, edit: bool
) -> None:
    name, own, offered = await help_offers.offers(repo, initiative_id, user.id)
    ordered = [*own, *(slug for slug in THEME_SLUGS if slug not in own)]
    text = _(
        "🤝 <b>{name}</b> answers questions from others on the ticked themes. "
        "Tap a theme to switch it on or off."
    ).format(name=html.escape(name))
    markup = theme_picker(ordered, locale, "offer", ticked=offered, ident=initiative_id)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def cmd_help_offer(message: Message, user: User, repo: Repo, locale: str) -> None:
    """/helpen: the member picks an initiative and the themes it helps others with."""
    memberships = await initiatives.my_initiatives(repo, user.id)
    if not memberships:
        await message.answer(
            _("Only members of an initiative can offer help. Add yours with /new.")
        )
    elif len(memberships) == 1:
        await _offer_view(message, memberships[0].initiative.id, user, repo, locale, edit=False)
    else:
        choices = [(m.initiative.id, m.initiative.name) for m in memberships]
        await message.answer(
            _("For which initiative?"), reply_markup=initiatives_picker(choices, "offers")
        )


async def cb_offers(
    query: CallbackQuery,
    callback_data: PeerCallback,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """An initiative picked for /helpen, or a theme switched on or off."""
    try:
        if callback_data.action == PeerAction.OFFER:
            await help_offers.toggle_offer(
                repo, callback_data.id, user.id, callback_data.value, now=clock.now()
            )
        await query.answer()
        if isinstance(query.message, Message):
            await _offer_view(query.message, callback_data.id, user, repo, locale, edit=True)
    except (InitiativeError, peers.PeerError):
        await query.answer(_("This initiative is no longer yours to change."), show_alert=True)


async def cb_offers_done(
    query: CallbackQuery, callback_data: PeerCallback, user: User, repo: Repo, locale: str
) -> None:
    """[Done]: the picker closes and says what was saved."""
    try:
        name, _own, offered = await help_offers.offers(repo, callback_data.id, user.id)
    except (InitiativeError, peers.PeerError):
        await query.answer(_("This initiative is no longer yours to change."), show_alert=True)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if offered:
        themes = ", ".join(THEMES[slug].label(locale) for slug in THEME_SLUGS if slug in offered)
        text = _(
            "✅ Saved. <b>{name}</b> answers questions from others on: {themes}. "
            "Change it any time with /help_others."
        ).format(name=html.escape(name), themes=html.escape(themes))
    else:
        text = _(
            "✅ Saved. <b>{name}</b> doesn't answer questions from others for now. "
            "Change it any time with /help_others."
        ).format(name=html.escape(name))
    await query.message.edit_text(text)


def create_router() -> Router:
    router = Router(name="help_offers")
    router.message.register(cmd_help_offer, Command("helpen", "help_others"))
    router.callback_query.register(
        cb_offers, PeerCallback.filter(F.action.in_(("offer", "offers")))
    )
    router.callback_query.register(
        cb_offers_done, PeerCallback.filter(F.action == PeerAction.OFFERS_DONE)
    )
    return router
