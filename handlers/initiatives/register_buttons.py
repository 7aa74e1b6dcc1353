"""The buttons of the initiative registration: navigation, themes, municipality, publish,
save for later, and the answers to the duplicate hint."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.catalog.municipalities import municipality_by_name
from bot.clock import Clock
from bot.conversation.initiative_register import ask, begin, cancel, store
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards import initiatives as kb
from bot.keyboards.callbacks import RegisterAction, RegisterCallback
from bot.keyboards.menu import main_menu
from bot.services.initiatives import invites, register
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import (
    PREVIEW,
    Field,
    InvalidAnswerError,
)
from bot.states import EditStates, RegisterStates
from bot.views.initiative_questions import problem_text
from bot.views.messages import answer_earlier_step
from storage.models import Initiative, User
from storage.repositories import Repo


async def _draft_for(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User, repo: Repo
) -> tuple[Message, Initiative] | None:
    """The message and the draft a registration button belongs to; None when the tap was
    answered already (the draft is gone, or the button belongs to an earlier question)."""
    if not isinstance(query.message, Message):
        await query.answer()
        return None
    try:
        draft = await register.load(repo, user.id)
    except register.DraftGoneError:
        await query.answer(
            _("This registration was stopped. Type /new to start again."), show_alert=True
        )
        await state.clear()
        return None
    step_bound = callback_data.action in _STEP_BUTTONS
    belongs_to = _BUTTON_STEPS.get(callback_data.action)
    if (step_bound and callback_data.value and callback_data.value != draft.draft_step) or (
        belongs_to is not None and (draft.draft_step or PREVIEW) != belongs_to
    ):
        await answer_earlier_step(query)
        return None
    return query.message, draft


# Buttons that carry the step they were shown at, and buttons that belong to one step only.
_STEP_BUTTONS = {RegisterAction.BACK, RegisterAction.SKIP, RegisterAction.CANCEL}
_BUTTON_STEPS: dict[str, str] = {
    RegisterAction.THEME: Field.THEMES,
    RegisterAction.THEMES_DONE: Field.THEMES,
    RegisterAction.MUN: Field.MUNICIPALITY,
    RegisterAction.PUBLISH: PREVIEW,
    RegisterAction.LATER: PREVIEW,
}


async def cb_restart(
    query: CallbackQuery, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """[Start again]: a new, empty draft."""
    await query.answer()
    if isinstance(query.message, Message):
        await begin(query.message, state, user, repo, locale, clock.now())


async def cb_theme(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """Ticks or unticks a theme."""
    found = await _draft_for(query, callback_data, state, user, repo)
    if found is not None:
        await _toggle_theme(query, found[0], repo, user, callback_data.value, locale, clock.now())


async def cb_cancel(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo,
) -> None:  # fmt: skip
    """[Stop]: the draft is thrown away."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        await cancel(found[0], state, user, repo)


async def cb_continue(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """[Go on]: the question where the draft stopped."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        await ask(found[0], state, found[1], locale, clock.now())


async def cb_back(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """[Back]: the previous question."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        draft = await register.back(repo, user.id, now=clock.now())
        await ask(found[0], state, draft, locale, clock.now())


async def cb_skip(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """[Skip] / [Keep]: the next question, the answer left as it is."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        draft = await register.skip(repo, user.id, Field(callback_data.value), now=clock.now())
        await ask(found[0], state, draft, locale, clock.now())


async def cb_themes_done(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """[Done] under the themes: they are stored and the next question follows."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        message, draft = found
        if draft.draft_step == Field.THEMES:
            await store(message, state, user, repo, locale, clock.now(), Field.THEMES, draft.themes)


async def cb_municipality(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """A municipality's button: stored, and the next question follows."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        message, draft = found
        municipality = municipality_by_name(callback_data.value)
        if draft.draft_step == Field.MUNICIPALITY and municipality is not None:
            now, name = clock.now(), municipality.name
            await store(message, state, user, repo, locale, now, Field.MUNICIPALITY, name)


async def cb_publish(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, clock: Clock,
) -> None:  # fmt: skip
    """[Yes, publish] under the preview."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        await _publish(found[0], state, user, repo, clock.now())


async def cb_later(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, clock: Clock,
) -> None:  # fmt: skip
    """[Later]: saved privately; publish it from /mijn."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        saved = await register.save_for_later(repo, user.id, now=clock.now())
        await state.clear()
        await found[0].answer(
            _(
                "Saved. Only you can see <b>{name}</b>. Publish it from /mine when you're ready."
            ).format(name=html.escape(saved.name)),
            reply_markup=main_menu(),
        )


async def cb_not_mine(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """[No] on "Is this perhaps yours?": the hint is not shown again, the question follows."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        dismissed = (await state.get_data()).get("dismissed", [])
        await state.update_data(dismissed=[*dismissed, int(callback_data.value)])
        await ask(found[0], state, found[1], locale, clock.now())


async def cb_mine(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, clock: Clock,
) -> None:  # fmt: skip
    """[Yes] on "Is this perhaps yours?": its people are asked to let the user in."""
    if found := await _draft_for(query, callback_data, state, user, repo):
        await query.answer()
        await _request_join(found[0], state, user, repo, int(callback_data.value), clock.now())


async def cb_other(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo,
) -> None:  # fmt: skip
    """A registration button that does nothing at this point."""
    if await _draft_for(query, callback_data, state, user, repo):
        await answer_earlier_step(query)


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
            "You can change it at any time with /mine. Do you work on it with others? "
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
    not_editing = ~StateFilter(EditStates)
    button = RegisterCallback.filter
    for action, handler in (
        (RegisterAction.RESTART, cb_restart),
        (RegisterAction.THEME, cb_theme),
        (RegisterAction.CANCEL, cb_cancel),
        (RegisterAction.CONTINUE, cb_continue),
        (RegisterAction.BACK, cb_back),
        (RegisterAction.SKIP, cb_skip),
        (RegisterAction.THEMES_DONE, cb_themes_done),
        (RegisterAction.MUN, cb_municipality),
        (RegisterAction.PUBLISH, cb_publish),
        (RegisterAction.LATER, cb_later),
    ):
        router.callback_query.register(handler, button(F.action == action), not_editing)
    # The answers to "is this perhaps yours?" only while that question is open.
    for action, handler in (
        (RegisterAction.DUP_NO, cb_not_mine),
        (RegisterAction.DUP_YES, cb_mine),
    ):
        router.callback_query.register(
            handler, button(F.action == action), StateFilter(RegisterStates.duplicate)
        )
    router.callback_query.register(cb_other, button(), not_editing)
    return router
