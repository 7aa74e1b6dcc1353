"""The buttons of the initiative registration: navigation, themes, municipality, publish,
save for later, and the answers to the duplicate hint."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.catalog.municipalities import municipality_by_name
from bot.clock import Clock
from bot.conversation.initiative_register import ask, begin, cancel, store
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards import initiatives as kb
from bot.keyboards.callbacks import RegisterCallback
from bot.keyboards.menu import main_menu
from bot.services.initiatives import invites, register
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import (
    Field,
    InvalidAnswerError,
)
from bot.states import EditStates, RegisterStates
from bot.views.initiative_questions import problem_text
from storage.models import User
from storage.repositories import Repo


async def cb_register(
    query: CallbackQuery,
    callback_data: RegisterCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """Every button of the registration: navigation, themes, municipality, publish, hint."""
    message = query.message if isinstance(query.message, Message) else None
    action, value, now = callback_data.action, callback_data.value, clock.now()
    if message is None:
        await query.answer()
        return
    if action == "restart":
        await query.answer()
        await begin(message, state, user, repo, locale, now)
        return
    try:
        draft = await register.load(repo, user.id)
    except register.DraftGoneError:
        await query.answer(
            _("This registration was stopped. Type /nieuw to start again."), show_alert=True
        )
        await state.clear()
        return
    if action in ("back", "skip", "cancel") and value and value != draft.draft_step:
        await query.answer(_("This button belongs to an earlier question."))
        return
    if action == "theme":
        await _toggle_theme(query, message, repo, user, value, locale, now)
        return
    await query.answer()
    if action == "cancel":
        await cancel(message, state, user, repo)
    elif action == "continue":
        await ask(message, state, draft, locale, now)
    elif action == "back":
        await ask(message, state, await register.back(repo, user.id, now=now), locale, now)
    elif action == "skip":
        await ask(
            message, state, await register.skip(repo, user.id, Field(value), now=now), locale, now
        )
    elif action == "themes_done" and draft.draft_step == Field.THEMES:
        await store(message, state, user, repo, locale, now, Field.THEMES, draft.themes)
    elif action == "mun" and draft.draft_step == Field.MUNICIPALITY:
        municipality = municipality_by_name(value)
        if municipality is not None:
            await store(
                message, state, user, repo, locale, now, Field.MUNICIPALITY, municipality.name
            )
    elif action == "publish":
        await _publish(message, state, user, repo, now)
    elif action == "later":
        saved = await register.save_for_later(repo, user.id, now=now)
        await state.clear()
        await message.answer(
            _(
                "Saved. Only you can see <b>{name}</b>. Publish it from /mijn when you're ready."
            ).format(name=html.escape(saved.name)),
            reply_markup=main_menu(),
        )
    elif action == "dup_no":
        dismissed = (await state.get_data()).get("dismissed", [])
        await state.update_data(dismissed=[*dismissed, int(value)])
        await ask(message, state, draft, locale, now)
    elif action == "dup_yes":
        await _request_join(message, state, user, repo, int(value), now)


async def _toggle_theme(
    query: CallbackQuery,
    message: Message,
    repo: Repo,
    user: User,
    slug: str,
    locale: str,
    now: datetime,
) -> None:
    try:
        draft = await register.toggle_theme(repo, user.id, slug, now=now)
    except InvalidAnswerError as error:
        await query.answer(problem_text(error), show_alert=True)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=kb.question_keyboard(Field.THEMES, draft, locale))


async def _publish(
    message: Message, state: FSMContext, user: User, repo: Repo, now: datetime
) -> None:
    try:
        initiative = await register.publish_draft(repo, user.id, now=now)
    except InitiativeError:
        await message.answer(_("Some required answers are missing. Tap “Back” to fill them in."))
        return
    await state.clear()
    await message.answer(
        _(
            "🎉 Published! People can now find <b>{name}</b> in Samenspel.\n"
            "You can change it at any time with /mijn. Do you work on it with others? "
            "Invite them, so they can keep it up to date too."
        ).format(name=html.escape(initiative.name)),
        reply_markup=cards.after_publish_keyboard(initiative.id),
    )


async def _request_join(
    message: Message, state: FSMContext, user: User, repo: Repo, initiative_id: int, now: datetime
) -> None:
    try:
        initiative = await invites.request_join(repo, initiative_id, user.id, now=now)
    except InitiativeError:
        await message.answer(_("That initiative can no longer be joined. Let's go on with yours."))
        await state.set_state(RegisterStates.answering)
        return
    await register.cancel(repo, user.id)
    await state.clear()
    await message.answer(
        _(
            "I've asked the people of <b>{name}</b> to add you. "
            "You'll get a message as soon as they answer."
        ).format(name=html.escape(initiative.name)),
        reply_markup=main_menu(),
    )


def create_router() -> Router:
    router = Router(name="initiatives_register_buttons")
    router.callback_query.register(cb_register, RegisterCallback.filter(), ~StateFilter(EditStates))
    return router
