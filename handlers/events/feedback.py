"""The answers to "Hoe was het gesprek?": stars in one tap, then a sentence if they like, and
whether that sentence may be shared (without their name)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.filters.messages import TypedText
from bot.i18n import _
from bot.keyboards.callbacks import FeedbackCallback
from bot.keyboards.events import feedback_done_keyboard, feedback_share_keyboard
from bot.services.events import feedback
from bot.states import FeedbackStates
from bot.views.events import rated_text
from bot.views.messages import edit_or_keep
from storage.repositories import Repo


async def cb_feedback(
    query: CallbackQuery,
    callback_data: FeedbackCallback,
    state: FSMContext,
    repo: Repo,
    clock: Clock,
) -> None:
    """Stars, [Klaar], or whether the sentence may be shared."""
    event_id, user_id, now = callback_data.event_id, query.from_user.id, clock.now()
    message = query.message if isinstance(query.message, Message) else None
    if not 0 <= callback_data.rating <= 5 or callback_data.share not in (-1, 0, 1):
        await query.answer()  # not a button we made: nothing happens
        return
    if callback_data.share in (0, 1) or callback_data.rating == 0:  # shared or not; [Klaar]
        await _finish(query, message, callback_data, state, repo, now)
        return
    await feedback.rate(repo, event_id, user_id, callback_data.rating, now=now)
    await state.set_state(FeedbackStates.comment)
    await state.update_data(feedback_event=event_id)
    await query.answer(_("Thank you!"))
    if message is not None:
        await edit_or_keep(
            message, rated_text(callback_data.rating), feedback_done_keyboard(event_id)
        )


async def comment_typed(message: Message, state: FSMContext, repo: Repo, clock: Clock) -> None:
    """The sentence after the stars; then: may it be shared?"""
    if message.from_user is None or not message.text:
        return
    event_id = int((await state.get_data())["feedback_event"])
    await feedback.comment(repo, event_id, message.from_user.id, message.text, now=clock.now())
    await state.clear()
    await message.answer(
        _(
            "Thanks for writing that. May we share your sentence, without your name, with the "
            "organisation (in the figures and the export)?"
        ),
        reply_markup=feedback_share_keyboard(event_id),
    )


async def _finish(
    query: CallbackQuery,
    message: Message | None,
    callback_data: FeedbackCallback,
    state: FSMContext,
    repo: Repo,
    now: datetime,
) -> None:
    """[Klaar], or whether the sentence may be shared: the feedback is complete."""
    if callback_data.share in (0, 1):
        await feedback.share(
            repo, callback_data.event_id, query.from_user.id, bool(callback_data.share), now=now
        )
    await state.clear()
    await query.answer()
    if message is not None:
        await edit_or_keep(message, _("Thank you! Your answer helps the next tables."), None)


def create_router() -> Router:
    router = Router(name="events_feedback")
    router.callback_query.register(cb_feedback, FeedbackCallback.filter())
    router.message.register(comment_typed, StateFilter(FeedbackStates.comment), TypedText())
    return router
