"""The two optional sign-up questions (age group, neighbourhood or village): an answer, a skip,
or, when only reserved seats were left, the answer that signs someone up."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
from bot.keyboards.callbacks import MixCallback
from bot.services.events import mix, registrations
from bot.services.events.registrations import ButtonAnswer
from bot.views.events import result_card, signed_up_text
from bot.views.messages import edit_or_keep
from bot.views.mix import next_question, thanks_text
from storage.repositories import Repo


async def cb_answer(
    query: CallbackQuery,
    callback_data: MixCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Stores the answer (or the skip) and asks the other question; with `join`, signs up."""
    question = callback_data.q
    if callback_data.join:
        await _sign_up_with(query, repo, callback_data, clock, settings, locale)
        return
    answered = await mix.answer(
        repo, callback_data.event_id, query.from_user.id, question, callback_data.v
    )
    if answered.registration is None:
        await query.answer(_("This sign-up is no longer active."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        after = next_question(answered, question)
        await edit_or_keep(query.message, *(after or (thanks_text(), None)))


async def _sign_up_with(
    query: CallbackQuery, repo: Repo, tapped: MixCallback, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """The answer that decides whether kept seats are for someone signs them up."""
    result = await registrations.sign_up(
        repo, tapped.event_id, query.from_user.id, now=clock.now(), party_size=tapped.join,
        answer=ButtonAnswer(tapped.q, tapped.v),
    )  # fmt: skip
    await query.answer(signed_up_text(result))
    if isinstance(query.message, Message):
        card = result_card(result, clock=clock, settings=settings, locale=locale)
        await edit_or_keep(query.message, *card)


def create_router() -> Router:
    router = Router(name="events_mix")
    router.callback_query.register(cb_answer, MixCallback.filter())
    return router
