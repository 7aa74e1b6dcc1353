"""Changing one field of an initiative's profile: the member picks the field, answers the same
question as in the registration (checked the same way), and sees the updated card."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.catalog.municipalities import municipality_by_name
from bot.clock import Clock
from bot.conversation.initiative_answers import pinned_answer, typed_answer
from bot.filters.messages import TypedText
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards import initiatives as kb
from bot.keyboards.callbacks import (
    InitiativeAction,
    InitiativeCallback,
    RegisterAction,
    RegisterCallback,
)
from bot.services.geocoding import Geocoder
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import (
    Field,
    InvalidAnswerError,
)
from bot.services.initiatives.profiles import Membership
from bot.states import EditStates
from bot.views.initiative_card import member_card_text
from bot.views.initiative_questions import (
    problem_text,
    question_text,
    saved_text,
)
from storage.models import Initiative, User
from storage.repositories import Repo


async def ask_field(
    message: Message, state: FSMContext, membership: Membership, field: Field, locale: str
) -> None:
    """Asks for the new value of one field."""
    initiative = membership.initiative
    await state.set_state(EditStates.value)
    await state.update_data(initiative_id=initiative.id, field=field.value)
    text = question_text(field, initiative, locale, editing=True)
    if field is Field.LOCATION:
        markup: Any = kb.location_keyboard(editing=True, filled=initiative.lat is not None)
    else:
        markup = kb.question_keyboard(field, initiative, locale, editing=True)
    await message.answer(text, reply_markup=markup)


async def cb_field(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    locale: str,
) -> None:
    """A field was picked from "✏️ Edit": its question follows."""
    try:
        membership = await initiatives.open_as_member(repo, callback_data.id, user.id)
        field = Field(callback_data.value)
    except (InitiativeError, ValueError):
        await query.answer(_("This initiative is no longer yours to change."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await ask_field(query.message, state, membership, field, locale)


async def _target(state: FSMContext) -> tuple[int, Field]:
    data = await state.get_data()
    return int(data["initiative_id"]), Field(data["field"])


async def _save(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, now: datetime,
    value: Any, *, done: bool = True,
) -> None:  # fmt: skip
    """Stores the new value; when `done`, the change is over and the card shows it (else the
    question's buttons show the value, as when ticking themes)."""
    initiative_id, field = await _target(state)
    try:
        initiative, cleared = await initiatives.update_field(
            repo, initiative_id, user.id, field, value, now=now
        )
        membership = await initiatives.open_as_member(repo, initiative_id, user.id)
    except InitiativeError:
        await state.clear()
        await message.answer(_("This initiative is no longer yours to change."))
        return
    if not done:
        await message.edit_reply_markup(
            reply_markup=kb.question_keyboard(field, initiative, locale, editing=True)
        )
        return
    await state.clear()
    await _show_saved(message, field, initiative, cleared, membership, locale, now)


async def _show_saved(
    message: Message,
    field: Field,
    initiative: Initiative,
    cleared: list[str],
    membership: Membership,
    locale: str,
    now: datetime,
) -> None:
    """ "Saved" (with what the change cleared) and the card as it is now."""
    if field is Field.LOCATION:  # the note takes the location keyboard away, the card follows
        await message.answer(saved_text([]), reply_markup=ReplyKeyboardRemove())
        text = member_card_text(initiative, locale, now)
    else:
        text = f"{saved_text(cleared)}\n\n{member_card_text(initiative, locale, now)}"
    await message.answer(text, reply_markup=cards.card_keyboard(membership))


async def on_text(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock,
    geocoder: Geocoder,
) -> None:  # fmt: skip
    """The new value, typed: saved and shown, or told what's wrong (nothing is lost)."""
    initiative_id, field = await _target(state)
    text = message.text or ""
    if text == kb.cancel_label():
        await _stop(message, state, user, repo, locale, clock)
        return
    if field is Field.LOCATION and text == kb.remove_label():
        await _save(message, state, user, repo, locale, clock.now(), None)
        return
    current = await initiatives.open_as_member(repo, initiative_id, user.id)
    answer = await typed_answer(message, field, current.initiative, geocoder)
    if answer is not None:
        await _save(message, state, user, repo, locale, clock.now(), answer.value)


async def on_location(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock,
    geocoder: Geocoder,
) -> None:  # fmt: skip
    """A shared pin as the new location."""
    initiative_id, field = await _target(state)
    if field is not Field.LOCATION or message.location is None:
        await message.answer(_("I wasn't asking for a location just now."))
        return
    current = await initiatives.open_as_member(repo, initiative_id, user.id)
    answer = await pinned_answer(message, current.initiative, geocoder)
    if answer is not None:
        await _save(message, state, user, repo, locale, clock.now(), answer.value)


async def on_other_message(message: Message) -> None:
    """A photo, sticker or voice message while changing a field: say what is expected."""
    await message.answer(_("Please type your answer, or use the buttons."))


async def cb_edit_theme(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """Ticks or unticks a theme while editing the themes."""
    initiative_id, field = await _target(state)
    if not isinstance(query.message, Message) or field is not Field.THEMES:
        await query.answer()
        return
    try:
        themes = await initiatives.themes_with_toggled(
            repo, initiative_id, user.id, callback_data.value
        )
    except InvalidAnswerError as error:
        await query.answer(problem_text(error), show_alert=True)
        return
    except InitiativeError:
        await query.answer(_("This initiative is no longer yours to change."), show_alert=True)
        return
    await query.answer()
    await _save(query.message, state, user, repo, locale, clock.now(), themes, done=False)


async def cb_edit_choice(
    query: CallbackQuery, callback_data: RegisterCallback, state: FSMContext, user: User,
    repo: Repo, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """A municipality's button, [Remove], or [Done]/[Cancel] under an edit question."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    action, now = callback_data.action, clock.now()
    municipality = municipality_by_name(callback_data.value)
    if action == RegisterAction.MUN and municipality is not None:
        await _save(query.message, state, user, repo, locale, now, municipality.name)
    elif action == RegisterAction.REMOVE:
        await _save(query.message, state, user, repo, locale, now, None)
    elif action in (RegisterAction.CANCEL, RegisterAction.THEMES_DONE):
        await _stop(query.message, state, user, repo, locale, clock)


async def _stop(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """Back to the card without changing anything more."""
    initiative_id, field = await _target(state)
    await state.clear()
    try:
        membership = await initiatives.open_as_member(repo, initiative_id, user.id)
    except InitiativeError:
        return
    if field is Field.LOCATION:
        await message.answer(_("OK, nothing changed."), reply_markup=ReplyKeyboardRemove())
    text = member_card_text(membership.initiative, locale, clock.now())
    await message.answer(text, reply_markup=cards.card_keyboard(membership))


def create_router() -> Router:
    router = Router(name="initiatives_edit")
    editing = StateFilter(EditStates.value)
    router.message.register(on_text, editing, TypedText())
    router.message.register(on_location, editing, F.location)
    router.message.register(on_other_message, editing, ~F.text)
    router.callback_query.register(
        cb_field, InitiativeCallback.filter(F.action == InitiativeAction.FIELD)
    )
    button = RegisterCallback.filter
    router.callback_query.register(cb_edit_theme, editing, button(F.action == RegisterAction.THEME))
    router.callback_query.register(cb_edit_choice, editing, button())
    return router
