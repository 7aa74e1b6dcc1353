"""Helpers answer a question to peers: [Answer] and typing, or Telegram's reply to the
question; [Can't help] passes it to the next helper in line."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.conversation.writing import start_writing, still_writing
from bot.filters.messages import ReplyToTheBot, TypedText, bot_message_replied_to
from bot.i18n import _
from bot.keyboards.callbacks import PeerAction, PeerCallback
from bot.keyboards.connections import cancel_markup
from bot.services.connections import peer_questions as peers
from bot.states import PeerStates
from bot.views.connections import peer_refusal
from storage.models import User
from storage.repositories import Repo


async def cb_answer(
    query: CallbackQuery,
    callback_data: PeerCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    clock: Clock,
) -> None:
    """[Answer] under a question: asks for the answer."""
    await peers.open_question(repo, callback_data.id, user.id)
    await query.answer()
    await state.set_data({})
    await start_writing(state, PeerStates.answer, clock, question_id=callback_data.id)
    if isinstance(query.message, Message):
        await query.message.answer(
            _("✍️ Type your answer. It goes back with the name of your initiative, not yours."),
            reply_markup=cancel_markup(),
        )


async def _give_answer(
    message: Message, state: FSMContext, question_id: int, user: User, repo: Repo, clock: Clock
) -> None:
    try:
        await peers.answer(repo, question_id, user.id, message.text or "", now=clock.now())
    except peers.PeerTextLengthError as exc:
        await message.answer(peer_refusal(exc), reply_markup=cancel_markup())
        return
    except peers.PeerError as exc:
        await state.clear()
        await message.answer(peer_refusal(exc))
        return
    await state.clear()
    await message.answer(_("✅ Thank you! Your answer was passed on."))


async def answer_write(
    message: Message, state: FSMContext, user: User, repo: Repo, clock: Clock
) -> None:
    """The typed answer: relayed to the one who asked."""
    question_id = int((await still_writing(state, clock))["question_id"])
    await _give_answer(message, state, question_id, user, repo, clock)


async def _replied_question(message: Message, repo: Repo) -> dict[str, Any] | bool:
    """Filter: a Telegram reply to a question message gives that question."""
    replied = bot_message_replied_to(message)
    if replied is None or message.from_user is None:
        return False
    found = await peers.question_replied_to(repo, message.from_user.id, replied.message_id)
    return {"question_id": found} if found is not None else False


async def on_reply_to_question(
    message: Message, question_id: int, state: FSMContext, user: User, repo: Repo, clock: Clock
) -> None:
    """A Telegram reply to a question: taken as the answer."""
    await _give_answer(message, state, question_id, user, repo, clock)


async def cb_skip(
    query: CallbackQuery, callback_data: PeerCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[Can't help]: the question goes to someone else."""
    await peers.skip(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(_("No problem. I'll ask someone else."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def create_router() -> Router:
    router = Router(name="peer_answers")
    router.callback_query.register(cb_answer, PeerCallback.filter(F.action == PeerAction.ANSWER))
    router.callback_query.register(cb_skip, PeerCallback.filter(F.action == PeerAction.SKIP))
    router.message.register(answer_write, PeerStates.answer, TypedText())
    router.message.register(
        on_reply_to_question,
        F.chat.type == "private",
        TypedText(),
        ReplyToTheBot(),
        _replied_question,
    )
    return router
