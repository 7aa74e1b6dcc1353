"""The audience step of /bericht: tap segments (everyone, facilitators, with a certificate,
initiative members, themes, municipalities, an event's participants or waitlist), then the
preview. Segments combine: everyone in any of them gets the announcement once."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import BroadcastComposeCallback
from bot.keyboards.coordination import audience_keyboard, picker
from bot.services.coordination import audience as broadcast_audience
from bot.services.coordination import broadcasts
from bot.services.coordination.audience import FLAGS, LISTS, BadAudienceError
from bot.services.coordination.broadcasts import EmptyAudienceError, UnknownEventError
from bot.states import BroadcastStates
from bot.views.broadcasts import ask_audience, audience_question, show_preview
from storage.repositories import Repo


async def _composing(query: CallbackQuery, state: FSMContext) -> Message | None:
    """The message of an announcement still being composed; None when the tap was answered."""
    if not isinstance(query.message, Message):
        await query.answer()
        return None
    if await state.get_state() != BroadcastStates.audience.state:
        await query.answer(
            _("This announcement is no longer open. Start again with /broadcast."), show_alert=True
        )
        return None
    return query.message


async def cb_preview(query: CallbackQuery, state: FSMContext, repo: Repo, clock: Clock) -> None:
    """[👁 Preview]: the announcement exactly as recipients will see it, with the count."""
    if (message := await _composing(query, state)) is None:
        return
    try:
        await show_preview(message, state, repo, clock, query.from_user.id)
    except EmptyAudienceError:
        await query.answer(_("Choose at least one group first."), show_alert=True)
        return
    await query.answer()


async def cb_ask_event(
    query: CallbackQuery, callback_data: BroadcastComposeCallback, state: FSMContext
) -> None:
    """[An event's participants / waitlist]: asks for the event's number."""
    if (message := await _composing(query, state)) is None:
        return
    await query.answer()
    if callback_data.value in ("events", "waitlists"):
        await state.update_data(asking=callback_data.value)
        await state.set_state(BroadcastStates.audience_event)
        await message.answer(_("Type the number of the event, for example 12."))


async def cb_segment(
    query: CallbackQuery, callback_data: BroadcastComposeCallback, state: FSMContext, locale: str
) -> None:
    """Toggles a segment, or opens (or closes) the list of themes or municipalities."""
    if (message := await _composing(query, state)) is None:
        return
    await query.answer()
    spec: dict[str, Any] = (await state.get_data()).get("audience", {})
    step, value = callback_data.step, callback_data.value
    if step == "pick" and value in LISTS:
        markup = picker(value, spec, locale)
    elif step == "audience":
        markup = audience_keyboard(spec)
    else:
        try:
            spec = broadcast_audience.toggle(spec, step, value)
        except BadAudienceError:
            return
        await state.update_data(audience=spec)
        markup = audience_keyboard(spec) if step in FLAGS else picker(step, spec, locale)
    await message.edit_text(audience_question(spec, locale), reply_markup=markup)


async def audience_event_entered(
    message: Message, state: FSMContext, repo: Repo, locale: str
) -> None:
    """Adds the participants (or the waitlist) of the typed event to the audience."""
    typed = (message.text or "").strip().lstrip("#")
    data = await state.get_data()
    try:
        if not typed.isdigit():
            raise UnknownEventError(typed)
        await broadcasts.check_event(repo, int(typed))
    except UnknownEventError:
        await message.answer(
            _("There is no published event with that number. Type its number, for example 12.")
        )
        return
    spec = dict(data.get("audience", {}))
    segment = data.get("asking", "events")
    chosen = spec.get(segment) or []
    if int(typed) not in chosen:
        spec = broadcast_audience.toggle(spec, segment, typed)
    await state.update_data(audience=spec)
    await ask_audience(message, state, locale)


def create_router() -> Router:
    router = Router(name="broadcast_audience")
    coordinator = IsCoordinator()
    compose = BroadcastComposeCallback.filter
    router.callback_query.register(cb_preview, compose(F.step == "preview"), coordinator)
    router.callback_query.register(cb_ask_event, compose(F.step == "ask"), coordinator)
    router.callback_query.register(cb_segment, compose(F.step != "button"), coordinator)
    router.message.register(
        audience_event_entered,
        StateFilter(BroadcastStates.audience_event),
        TypedText(),
        coordinator,
    )
    return router
