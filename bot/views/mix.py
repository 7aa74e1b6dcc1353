"""The two optional sign-up questions (age group, neighbourhood or village) and a table's mix
as coordinators see it: counts only, never a person's answer."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import MixCallback
from bot.services.events import mix
from bot.views.event_card import reserved_for_text
from storage.models import Event


def _age_label(group: str) -> str:
    return group.replace("-", "–")


def _place_label(place: str) -> str:
    return _("outside the municipality") if place == mix.ELSEWHERE else place


def age_question(event: Event, *, joining: bool) -> str:
    if joining:
        return _(
            "The last seats at <b>{title}</b> are kept for {whom}. How old are you? (Only "
            "counted: nobody sees your answer.)"
        ).format(title=html.escape(event.title), whom=reserved_for_text(event))
    return "\n".join(
        [
            _(
                "🙋 Two short questions, if you like. They show us whether really different "
                "people meet at the table. We only count: nobody sees your answer."
            ),
            "",
            _("How old are you?"),
        ]
    )


def place_question(event: Event, *, joining: bool) -> str:
    if joining:
        return _(
            "The last seats at <b>{title}</b> are kept for {whom}. Where do you live? (Only "
            "counted: nobody sees your answer.)"
        ).format(title=html.escape(event.title), whom=reserved_for_text(event))
    return _("In which neighbourhood or village do you live?")


def _skip(event: Event, question: str, join: int) -> InlineKeyboardButton:
    text = _("Rather not say") if join else _("Skip")
    return InlineKeyboardButton(
        text=text,
        callback_data=MixCallback(event_id=event.id, q=question, v="-", join=join).pack(),
    )


def age_keyboard(event: Event, previous: str | None, join: int = 0) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for number, group in enumerate(mix.AGE_GROUPS):
        builder.button(
            text=("✓ " if group == previous else "") + _age_label(group),
            callback_data=MixCallback(event_id=event.id, q=mix.AGE, v=str(number), join=join),
        )
    builder.adjust(5)
    builder.row(_skip(event, mix.AGE, join))
    return builder.as_markup()


def place_keyboard(event: Event, previous: str | None, join: int = 0) -> InlineKeyboardMarkup:
    chosen = mix.place_code(event, previous)
    places = mix.places_for(event)
    options = [(str(number), place) for number, place in enumerate(places)]
    elsewhere_in = (
        _("Elsewhere in {municipality}").format(municipality=event.municipality)
        if places
        else event.municipality
    )
    outside = _("Outside {municipality}").format(municipality=event.municipality)
    options += [("m", elsewhere_in), ("e", outside)]
    builder = InlineKeyboardBuilder()
    for code, label in options:
        builder.button(
            text=("✓ " if code == chosen else "") + label,
            callback_data=MixCallback(event_id=event.id, q=mix.PLACE, v=code, join=join),
        )
    builder.adjust(3)
    builder.row(_skip(event, mix.PLACE, join))
    return builder.as_markup()


def about_you(event: Event, earlier_age_group: str | None) -> tuple[str, InlineKeyboardMarkup]:
    """The first of the two questions after a sign-up, with the earlier answer marked."""
    return age_question(event, joining=False), age_keyboard(event, earlier_age_group)


def next_question(answered: mix.Answered, question: str) -> tuple[str, InlineKeyboardMarkup] | None:
    """After one answer, the other question (None when both were asked)."""
    if question != mix.AGE:
        return None
    event = answered.event
    return place_question(event, joining=False), place_keyboard(
        event, mix.usable_place(event, answered.earlier_place)
    )


def deciding_question(
    event: Event, needed: mix.AnswerNeededError, join: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Only reserved seats are left: the question that says whether they are for someone,
    whose answer signs them up for `join` people."""
    question = needed.question
    age_group, place = needed.earlier
    if question == mix.AGE:
        return age_question(event, joining=True), age_keyboard(event, age_group, join)
    return (
        place_question(event, joining=True),
        place_keyboard(event, mix.usable_place(event, place), join),
    )


def thanks_text() -> str:
    return _("Thank you! 🙏")


def mix_lines(found: mix.Mix) -> list[str]:
    """The coordinator's card: who sits at the table by age group and place, as counts."""
    if not (found.ages or found.places or found.unknown_age):
        return []
    ages = [f"{_age_label(group)}: {count}" for group, count in found.ages]
    if found.unknown_age:
        ages.append(_("unknown: {count}").format(count=found.unknown_age))
    places = [f"{html.escape(_place_label(place))}: {count}" for place, count in found.places]
    if found.unknown_place:
        places.append(_("unknown: {count}").format(count=found.unknown_place))
    return [
        "👥 " + _("Ages: {counts}").format(counts=" · ".join(ages)),
        "🏘 " + _("From: {counts}").format(counts=" · ".join(places)),
    ]
