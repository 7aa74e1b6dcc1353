"""A typed answer or a shared pin for one field of an initiative, checked and, when it can't be
used, said back: the same in the registration and when a member changes a field. The question
stands then, and nothing is lost."""

from __future__ import annotations

from aiogram.types import Message

from bot.conversation.reply_keyboards import answer_stale_reply_button, is_reply_button_label
from bot.keyboards import initiatives as kb
from bot.services.geocoding import Geocoder
from bot.services.initiatives.answers import Answer, check_pin, check_typed
from bot.services.initiatives.fields import Field, InvalidAnswerError
from bot.views.initiative_questions import fallback_place_text, problem_text
from storage.models import Initiative


async def typed_answer(
    message: Message, field: Field, initiative: Initiative, geocoder: Geocoder
) -> Answer | None:
    """The checked value of the typed answer to `field`; None when it was a stale button's
    label or wrong (told so, with suggestions where there are). A place found only as the
    municipality's centre, while the lookup was away, is said too."""
    text = message.text or ""
    if field is not Field.LOCATION and is_reply_button_label(text):
        await answer_stale_reply_button(message)
        return None
    try:
        answer = await check_typed(field, text, initiative, geocoder)
    except InvalidAnswerError as error:
        markup = kb.suggestions_keyboard(error.suggestions) if error.suggestions else None
        await message.answer(problem_text(error, text), reply_markup=markup)
        return None
    if answer.fallback_place:
        await message.answer(fallback_place_text(initiative.municipality))
    return answer


async def pinned_answer(
    message: Message, initiative: Initiative, geocoder: Geocoder
) -> Answer | None:
    """The checked location of the shared pin; None when it can't be used (told why)."""
    if message.location is None:
        return None
    pin = message.location
    try:
        return await check_pin(pin.latitude, pin.longitude, initiative, geocoder)
    except InvalidAnswerError as error:
        await message.answer(problem_text(error))
        return None
