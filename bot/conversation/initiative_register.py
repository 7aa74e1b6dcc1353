"""The steps of the initiative registration: asking the current question (or the preview
with the consent), storing an answer, the duplicate hint, and stopping."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from bot.i18n import _
from bot.keyboards import initiatives as kb
from bot.keyboards.menu import main_menu
from bot.services.initiatives import register
from bot.services.initiatives.fields import (
    PREVIEW,
    Field,
)
from bot.states import RegisterStates
from bot.views.initiative_card import card_text
from bot.views.initiative_questions import question_text
from storage.models import Initiative, User
from storage.repositories import Repo


def consent_text() -> str:
    return _(
        "<b>Shall I publish this?</b>\n"
        "If you tap “Yes, publish”, you agree that everyone can see this profile in Samenspel. "
        "You can change it, take it offline or delete it at any time with /mine."
    )


async def ask(
    message: Message, state: FSMContext, draft: Initiative, locale: str, now: datetime
) -> None:
    """Sends the question of the draft's current step (or the preview with the consent)."""
    await state.set_state(RegisterStates.answering)
    step = draft.draft_step or PREVIEW
    if step == PREVIEW:
        text = f"{card_text(draft, locale, now)}\n\n{consent_text()}"
        await message.answer(text, reply_markup=kb.preview_keyboard())
        return
    field = Field(step)
    text = question_text(field, draft, locale, editing=False)
    if field is Field.LOCATION:
        filled = draft.lat is not None
        await message.answer(text, reply_markup=kb.location_keyboard(editing=False, filled=filled))
        return
    await message.answer(text, reply_markup=kb.question_keyboard(field, draft, locale))


async def begin(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, now: datetime
) -> None:
    draft = await register.start(repo, user.id, now=now)
    await message.answer(
        _(
            "Great, let's put your initiative in Samenspel! It takes about three minutes. "
            "At every step you can go back, skip what is optional, or stop. "
            "Nothing is public until you say so at the end."
        )
    )
    await ask(message, state, draft, locale, now)


async def store(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    locale: str,
    now: datetime,
    field: Field,
    value: Any,
) -> None:
    try:
        draft = await register.answer(repo, user.id, field, value, now=now)
    except register.DraftGoneError:
        await gone(message, state)
        return
    if field is Field.LOCATION:
        await message.answer(_("📍 Location saved."), reply_markup=ReplyKeyboardRemove())
    if field in (Field.MUNICIPALITY, Field.LOCATION) and await hint_duplicate(
        message, state, repo, draft
    ):
        return
    await ask(message, state, draft, locale, now)


async def hint_duplicate(
    message: Message, state: FSMContext, repo: Repo, draft: Initiative
) -> bool:
    """ "Is this perhaps yours?" when a published initiative looks like the one being registered."""
    dismissed = set((await state.get_data()).get("dismissed", []))
    similar = [
        other
        for other in await register.similar_published(repo, draft)
        if other.id not in dismissed
    ]
    if not similar:
        return False
    other = similar[0]
    place = html.escape(" · ".join(p for p in (other.municipality, other.neighbourhood) if p))
    await state.set_state(RegisterStates.duplicate)
    await message.answer(
        _(
            "There is already an initiative called <b>{name}</b> ({place}). Is this perhaps yours?"
        ).format(name=html.escape(other.name), place=place),
        reply_markup=kb.duplicate_keyboard(other.id),
    )
    return True


async def cancel(message: Message, state: FSMContext, user: User, repo: Repo) -> None:
    await register.cancel(repo, user.id)
    await state.clear()
    await message.answer(
        _("Stopped. Nothing was saved or published. You can start again at any time with /new."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def draft_or_stop(
    message: Message, state: FSMContext, repo: Repo, user: User
) -> Initiative | None:
    try:
        return await register.load(repo, user.id)
    except register.DraftGoneError:
        await gone(message, state)
        return None


async def gone(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(
        _("This registration was stopped. Type /new to start again."), reply_markup=main_menu()
    )
