"""Signing up and cancelling in one tap, the waitlist, "Kom je nog?" and "Ik kan toch niet"."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventPartyCallback,
    ReconfirmCallback,
)
from bot.keyboards.confirm import ask_to_confirm
from bot.keyboards.events import party_keyboard, suggestions_keyboard
from bot.services.events import browse as events
from bot.services.events import mix, registrations
from bot.services.events.registrations import (
    CancelResult,
    EventNotFoundError,
    EventNotOpenError,
    NotRegisteredError,
    SeatGoneError,
    SignUpOutcome,
    SignUpResult,
)
from bot.views.events import (
    cancelled_text,
    card_message,
    reconfirmed_text,
    result_card,
    seat_gone_text,
    signed_up_text,
    waitlisted_text,
)
from bot.views.messages import edit_or_keep
from bot.views.mix import about_you, deciding_question
from bot.views.reliability import friendly_word
from storage.models import RegistrationStatus
from storage.repositories import Repo


async def _refresh_card(
    query: CallbackQuery, repo: Repo, event_id: int, clock: Clock, settings: Settings, locale: str
) -> None:
    if not isinstance(query.message, Message):
        return
    text, keyboard = await card_message(
        repo, event_id, query.from_user.id, clock=clock, settings=settings, locale=locale
    )
    await edit_or_keep(query.message, text, keyboard)


async def _show_card(
    message: Message, result: SignUpResult | CancelResult, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    text, keyboard = result_card(result, clock=clock, settings=settings, locale=locale)
    await edit_or_keep(message, text, keyboard)


async def cb_join(
    query: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Signs up: a seat, or a waitlist place with its number and up to three other events."""
    await _sign_up(query, repo, callback_data.event_id, None, clock, settings, locale)


async def _sign_up(
    query: CallbackQuery,
    repo: Repo,
    event_id: int,
    people: int | None,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Signs up (`people`: how many, or as before); a group too large, or too few seats for
    more people, is answered by the feature's refusals."""
    try:
        result = await registrations.sign_up(
            repo, event_id, query.from_user.id, now=clock.now(), party_size=people
        )
    except EventNotOpenError:
        await query.answer(_("You can no longer sign up for this event."), show_alert=True)
        return
    except mix.AnswerNeededError as needed:
        await _ask_first(query, repo, needed, people or 1)
        return
    await _signed_up(query, result, clock, settings, locale)


async def _ask_first(
    query: CallbackQuery, repo: Repo, needed: mix.AnswerNeededError, people: int
) -> None:
    """Only reserved seats are left: the answer that says whether they are for this person
    signs them up."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    found = await events.view(repo, needed.event_id)  # the refused sign-up was rolled back
    text, keyboard = deciding_question(found.event, needed, people)
    await query.message.answer(text, reply_markup=keyboard)


async def _signed_up(
    query: CallbackQuery,
    result: SignUpResult,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The answer under the tap, the card as it is now, the waitlist message, and for a new
    sign-up at a table the two optional questions."""
    await query.answer(signed_up_text(result))
    if not isinstance(query.message, Message):
        return
    await _show_card(query.message, result, clock, settings, locale)
    if result.outcome == SignUpOutcome.WAITLISTED:
        await _tell_waitlisted(query.message, result, clock.now())
    new = result.outcome in (SignUpOutcome.CONFIRMED, SignUpOutcome.WAITLISTED)
    if new and mix.wants_answers(result.event, result.registration):
        text, keyboard = about_you(result.event, result.earlier_answers[0])
        await query.message.answer(text, reply_markup=keyboard)


async def _tell_waitlisted(message: Message, result: SignUpResult, now: datetime) -> None:
    text = waitlisted_text(result, now)
    if result.suggestions:
        text += "\n\n" + _("These still have seats:")
        await message.answer(text, reply_markup=suggestions_keyboard(result.suggestions))
    else:
        await message.answer(text)


async def cb_group(
    query: CallbackQuery, callback_data: EventCallback, repo: Repo, clock: Clock
) -> None:
    """[👥 With more people]: how many people the sign-up brings, the signer included."""
    found, registration = await events.view_for(repo, callback_data.event_id, query.from_user.id)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not found.open_for_signup(clock.now()) and registration is None:
        await query.message.answer(_("You can no longer sign up for this event."))
        return
    current = registration.party_size if registration and registration.status in (
        RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED
    ) else None  # fmt: skip
    await query.message.answer(
        _(
            "How many people are you coming with, yourself included? "
            "A group always sits together, or waits together on the waitlist."
        ),
        reply_markup=party_keyboard(found.event, current),
    )


async def cb_party(
    query: CallbackQuery,
    callback_data: EventPartyCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """A number under "How many people?": signs up (or changes the sign-up) for that many."""
    await _sign_up(
        query, repo, callback_data.event_id, callback_data.people, clock, settings, locale
    )


async def cb_leave(
    query: CallbackQuery, callback_data: EventCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """Cancels a seat or waitlist place, after one more tap: the freed seat goes to the
    waitlist at once, so a slip of the thumb must not give it away."""
    event_id = callback_data.event_id
    if callback_data.action == EventAction.LEAVE:
        sure = callback_data.model_copy(update={"action": EventAction.LEAVE_CONFIRMED})
        await ask_to_confirm(query, _("Yes, cancel"), sure)
        return
    try:
        result = await registrations.cancel(repo, event_id, query.from_user.id, now=clock.now())
    except NotRegisteredError:
        await query.answer(_("You were not signed up for this event."))
        await _refresh_card(query, repo, event_id, clock, settings, locale)
        return
    await query.answer(*cancelled_text(result))
    if isinstance(query.message, Message):
        await _show_card(query.message, result, clock, settings, locale)
        if result.friendly_word:
            await query.message.answer(friendly_word())


async def cb_take(
    query: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """[Ja, ik kom] under a seat offer: the first yes gets the seat."""
    try:
        result = await registrations.take_seat(
            repo, callback_data.event_id, query.from_user.id, now=clock.now()
        )
    except SeatGoneError:
        await query.answer(seat_gone_text(), show_alert=True)
        await _refresh_card(query, repo, callback_data.event_id, clock, settings, locale)
        return
    except NotRegisteredError:
        await query.answer(_("You are no longer on the waitlist of this event."), show_alert=True)
        return
    await query.answer(_("The seat is yours! See you there."), show_alert=True)
    if isinstance(query.message, Message):
        await _show_card(query.message, result, clock, settings, locale)


async def cb_reconfirm(
    query: CallbackQuery,
    callback_data: ReconfirmCallback,
    repo: Repo,
    clock: Clock,
) -> None:
    """The answer to "Kom je nog?": yes keeps the seat, no gives it to the waitlist."""
    user_id = query.from_user.id
    now = clock.now()
    if not callback_data.coming and not callback_data.sure:
        sure = callback_data.model_copy(update={"sure": True})
        await ask_to_confirm(query, _("Yes, give my seat away"), sure)
        return
    answer = registrations.reconfirm if callback_data.coming else registrations.decline
    try:
        await answer(repo, callback_data.registration_id, user_id, now=now)
    except (NotRegisteredError, EventNotFoundError, EventNotOpenError):
        await query.answer(_("This sign-up is no longer active."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(reconfirmed_text(coming=callback_data.coming))


def create_router() -> Router:
    router = Router(name="events_signup")
    router.callback_query.register(cb_join, EventCallback.filter(F.action == EventAction.JOIN))
    router.callback_query.register(
        cb_leave,
        EventCallback.filter(F.action.in_({EventAction.LEAVE, EventAction.LEAVE_CONFIRMED})),
    )
    router.callback_query.register(cb_take, EventCallback.filter(F.action == EventAction.TAKE))
    router.callback_query.register(cb_group, EventCallback.filter(F.action == EventAction.GROUP))
    router.callback_query.register(cb_party, EventPartyCallback.filter())
    router.callback_query.register(cb_reconfirm, ReconfirmCallback.filter())
    return router
