"""/nieuw: registering an initiative one question at a time, with back, skip and cancel on every
step, a preview and explicit consent. The draft is kept in the database: coming back later
(also after a restart of the bot) goes on where the user left off."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.clock import Clock
from bot.conversation.initiative_answers import pinned_answer, typed_answer
from bot.conversation.initiative_register import ask, begin, cancel, draft_or_stop, store
from bot.filters.messages import TypedText
from bot.i18n import _
from bot.keyboards import initiatives as kb
from bot.keyboards.callbacks import MenuAction, MenuCallback
from bot.services.geocoding import Geocoder
from bot.services.initiatives import register
from bot.services.initiatives.fields import (
    PREVIEW,
    Field,
)
from bot.states import RegisterStates
from storage.models import User
from storage.repositories import Repo


async def cmd_new(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """Starts the registration, or offers to go on with an unfinished one."""
    draft = await register.unfinished_draft(repo, user.id)
    if draft is None:
        await begin(message, state, user, repo, locale, clock.now())
        return
    if draft.name:
        text = _("You started registering <b>{name}</b> earlier. Go on where you left off?").format(
            name=html.escape(draft.name)
        )
    else:
        text = _("You started registering an initiative earlier. Go on where you left off?")
    await message.answer(text, reply_markup=kb.resume_keyboard())


async def cb_menu_new(
    query: CallbackQuery, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """The menu's "New initiative" button: the same as /nieuw."""
    await query.answer()
    if isinstance(query.message, Message):
        await cmd_new(query.message, state, user, repo, locale, clock)


async def on_text(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock,
    geocoder: Geocoder,
) -> None:  # fmt: skip
    """A typed answer to the current question: stored and on to the next, or told what's wrong."""
    draft = await draft_or_stop(message, state, repo, user)
    if draft is None:
        return
    text = message.text or ""
    if draft.draft_step == PREVIEW:
        await message.answer(_("Tap one of the buttons under the preview."))
        return
    field = Field(draft.draft_step or Field.NAME)
    if field is Field.LOCATION and await _location_button(
        message, state, user, repo, locale, clock, text
    ):
        return
    answer = await typed_answer(message, field, draft, geocoder)
    if answer is not None:
        await store(message, state, user, repo, locale, clock.now(), field, answer.value)


async def _location_button(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
    text: str,
) -> bool:
    """The reply keyboard of the location step sends its labels as text."""
    now = clock.now()
    if text == kb.cancel_label():
        await cancel(message, state, user, repo)
        return True
    if text == kb.back_label():
        draft = await register.back(repo, user.id, now=now)
    elif text in (kb.skip_label(), kb.keep_label()):
        draft = await register.skip(repo, user.id, Field.LOCATION, now=now)
    else:
        return False
    await message.answer(_("OK."), reply_markup=ReplyKeyboardRemove())
    await ask(message, state, draft, locale, now)
    return True


async def on_location(
    message: Message, state: FSMContext, user: User, repo: Repo, locale: str, clock: Clock,
    geocoder: Geocoder,
) -> None:  # fmt: skip
    """A shared pin at the location step."""
    draft = await draft_or_stop(message, state, repo, user)
    if draft is None or message.location is None:
        return
    if draft.draft_step != Field.LOCATION:
        await message.answer(_("I wasn't asking for a location just now."))
        return
    answer = await pinned_answer(message, draft, geocoder)
    if answer is not None:
        await store(message, state, user, repo, locale, clock.now(), Field.LOCATION, answer.value)


async def on_other_message(message: Message) -> None:
    """A photo, sticker or voice message during the registration: say what is expected."""
    await message.answer(_("Please type your answer, or use the buttons."))


async def on_text_during_hint(message: Message) -> None:
    """Typed text while the duplicate question is open: point at the buttons."""
    await message.answer(_("Please tap one of the buttons above: is it yours or a different one?"))


async def cmd_stop(message: Message, state: FSMContext, user: User, repo: Repo) -> None:
    """/stop during the registration: the same as the cancel button."""
    await cancel(message, state, user, repo)


def create_router() -> Router:
    router = Router(name="initiatives_register")
    router.message.filter(F.chat.type == "private")
    router.message.register(cmd_new, Command("nieuw", "new"))
    in_flow = StateFilter(RegisterStates.answering)
    router.message.register(cmd_stop, in_flow, Command("stop", "annuleren", "cancel"))
    router.message.register(on_text, in_flow, TypedText())
    router.message.register(on_location, in_flow, F.location)
    router.message.register(on_text_during_hint, StateFilter(RegisterStates.duplicate), TypedText())
    router.message.register(on_other_message, in_flow, ~F.text)
    router.callback_query.register(
        cb_menu_new, MenuCallback.filter(F.action == MenuAction.NEW_INITIATIVE)
    )
    return router
