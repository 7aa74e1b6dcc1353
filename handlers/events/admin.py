"""/nieuwetafel, /nieuwetraining, /nieuwemeetup: a coordinator creates an event step by step,
sees a preview and publishes it. /stop ends without saving; "-" skips an optional step."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Unpack

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.catalog.themes import THEMES
from bot.clock import Clock
from bot.config import Settings
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import EventFormCallback
from bot.labels import level_label
from bot.services.events.admin import EventDraft, create_event, preview
from bot.services.events.inputs import (
    check_description,
    check_title,
    parse_capacity,
    parse_place,
    parse_when,
)
from bot.states import EditEventStates, NewEventStates
from bot.views.event_card import event_card
from bot.views.events import send_admin_card, when_problem_text

KIND_BY_COMMAND = {
    "nieuwetafel": "table",
    "newtable": "table",
    "nieuwetraining": "training",
    "newtraining": "training",
    "nieuwemeetup": "meetup",
    "newmeetup": "meetup",
}


def _choices(field: str, options: list[tuple[str, str]], columns: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for value, label in options:
        builder.button(text=label, callback_data=EventFormCallback(field=field, value=value))
    builder.adjust(columns)
    return builder.as_markup()


def _when_question() -> str:
    return _("When is it? Type the date and times, for example: <code>10-3 19:30-21:30</code>")


async def cmd_new_event(message: Message, state: FSMContext) -> None:
    """Starts creating a table, training or meetup: first the title."""
    command = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
    await state.clear()
    await state.set_state(NewEventStates.title)
    await state.update_data(kind=KIND_BY_COMMAND.get(command, "table"))
    await message.answer(
        _("Let's make a new event. You can stop at any time with /stop.\n\nWhat is the title?")
    )


async def cmd_stop(message: Message, state: FSMContext) -> None:
    """Stops creating or changing an event; nothing is saved."""
    await state.clear()
    await message.answer(_("Stopped. Nothing was saved."))


async def title_entered(message: Message, state: FSMContext) -> None:
    """Stores the title; asks for the level (trainings) or the date and time."""
    try:
        title = check_title(message.text or "")
    except ValueError:
        await message.answer(_("A title has 3 to 200 characters. Please type it again."))
        return
    await state.update_data(title=title)
    if (await state.get_data())["kind"] == "training":
        await state.set_state(NewEventStates.level)
        options = [(level, level_label(level)) for level in ("basis", "kinder", "spannend")]
        await message.answer(_("Which level?"), reply_markup=_choices("level", options, 3))
        return
    await state.set_state(NewEventStates.when)
    await message.answer(_when_question())


async def level_chosen(
    query: CallbackQuery, callback_data: EventFormCallback, state: FSMContext
) -> None:
    """Stores the training level and asks for the date and time."""
    if callback_data.value not in ("basis", "kinder", "spannend"):
        await query.answer()
        return
    await state.update_data(level=callback_data.value)
    await state.set_state(NewEventStates.when)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_when_question())


async def when_entered(
    message: Message, state: FSMContext, clock: Clock, settings: Settings, locale: str
) -> None:
    """Reads the date and times; explains what's wrong when it can't."""
    try:
        start, end = parse_when(message.text or "", now=clock.now(), tz=settings.tz)
    except ValueError as problem:
        await message.answer(when_problem_text(problem, locale))
        return
    await state.update_data(starts_at=start.isoformat(), ends_at=end.isoformat())
    await state.set_state(NewEventStates.place)
    await message.answer(
        _(
            "Where? Type place, address and municipality, separated by commas, for example: "
            "<code>Buurthuis De Pijler, Oudegracht 1, Utrecht</code>"
        )
    )


async def place_entered(message: Message, state: FSMContext) -> None:
    """Reads venue, address and municipality."""
    try:
        place = parse_place(message.text or "")
    except ValueError as problem:
        if str(problem) == "municipality":
            await message.answer(
                _(
                    "I don't know that municipality in the province of Utrecht. "
                    "Please type the place again, with the municipality last."
                )
            )
            return
        await message.answer(
            _(
                "Please give at least the place and the municipality, separated by a comma, "
                "for example: <code>Buurthuis De Pijler, Utrecht</code>"
            )
        )
        return
    await state.update_data(
        venue=place.venue, address=place.address, municipality=place.municipality
    )
    await state.set_state(NewEventStates.capacity)
    await message.answer(_("How many seats are there? Type a number."))


async def capacity_entered(message: Message, state: FSMContext, locale: str) -> None:
    """Reads the number of seats and asks for the theme."""
    try:
        capacity = parse_capacity(message.text or "")
    except ValueError:
        await message.answer(_("Please type a whole number from 1 to 1000."))
        return
    await state.update_data(capacity=capacity)
    await state.set_state(NewEventStates.theme)
    options = [("", _("No theme"))] + [
        (slug, label.label(locale)) for slug, label in THEMES.items()
    ]
    await message.answer(_("Which theme?"), reply_markup=_choices("theme", options, 2))


async def theme_chosen(
    query: CallbackQuery, callback_data: EventFormCallback, state: FSMContext
) -> None:
    """Stores the theme and asks for a description."""
    if callback_data.value and callback_data.value not in THEMES:
        await query.answer()
        return
    await state.update_data(theme=callback_data.value or None)
    await state.set_state(NewEventStates.description)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(_("A short description? Type it, or <code>-</code> to skip."))


async def description_entered(
    message: Message, state: FSMContext, clock: Clock, settings: Settings, locale: str
) -> None:
    """Stores the description; trainings get a question about the contribution."""
    try:
        description = check_description(message.text or "")
    except ValueError:
        await message.answer(_("That is a bit long: at most 2000 characters, please."))
        return
    await state.update_data(description=description)
    if (await state.get_data())["kind"] == "training":
        await state.set_state(NewEventStates.contribution)
        await message.answer(
            _(
                "Do participants pay a contribution? Type it (for example <code>€ 25</code>), "
                "or <code>-</code> for none."
            )
        )
        return
    await _preview(message, state, settings, locale)


async def contribution_entered(
    message: Message, state: FSMContext, settings: Settings, locale: str
) -> None:
    """Stores the contribution of a training and shows the preview."""
    text = (message.text or "").strip()
    if len(text) > 200:
        await message.answer(_("At most 200 characters, please."))
        return
    await state.update_data(contribution=None if text == "-" else text)
    await _preview(message, state, settings, locale)


async def buttons_expected(message: Message) -> None:
    """Typed text where a button is expected: say so, keep what was entered."""
    await message.answer(_("Please tap one of the buttons above, or /stop."))


def _draft(data: dict[str, Any]) -> EventDraft:
    return EventDraft(
        kind=data["kind"],
        title=data["title"],
        starts_at=datetime.fromisoformat(data["starts_at"]),
        ends_at=datetime.fromisoformat(data["ends_at"]),
        venue=data["venue"],
        address=data["address"],
        municipality=data["municipality"],
        capacity=data["capacity"],
        theme=data.get("theme"),
        description=data.get("description", ""),
        level=data.get("level"),
        contribution=data.get("contribution"),
    )


async def _preview(message: Message, state: FSMContext, settings: Settings, locale: str) -> None:
    draft = _draft(await state.get_data())
    await state.set_state(NewEventStates.confirm)
    text = _("This is how it will look:") + "\n\n" + event_card(preview(draft), locale, settings.tz)
    options = [("yes", "✅ " + _("Publish")), ("no", "✖ " + _("Stop"))]
    await message.answer(text, reply_markup=_choices("publish", options, 2))


async def publish_chosen(
    query: CallbackQuery,
    callback_data: EventFormCallback,
    **data: Unpack[HandlerData],
) -> None:
    """Publishes the event (or stops) and shows the coordinator's card with its link."""
    state, repo, clock = data["state"], data["repo"], data["clock"]
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.value != "yes":
        await state.clear()
        await query.message.answer(_("Stopped. Nothing was saved."))
        return
    draft = _draft(await state.get_data())
    event = await create_event(repo, draft, created_by=query.from_user.id, now=clock.now())
    await state.clear()
    await query.message.answer(_("Published! Residents can sign up now."))
    await send_admin_card(query.message, event.id, **data)


def create_router() -> Router:
    router = Router(name="events_admin")
    # The role check comes last, so it only speaks up for updates meant for this router.
    coordinator = IsCoordinator()
    router.message.register(cmd_new_event, Command(*KIND_BY_COMMAND), coordinator)
    router.message.register(cmd_stop, Command("stop"), StateFilter(NewEventStates, EditEventStates))
    text = TypedText()
    steps = (
        (title_entered, NewEventStates.title),
        (when_entered, NewEventStates.when),
        (place_entered, NewEventStates.place),
        (capacity_entered, NewEventStates.capacity),
        (description_entered, NewEventStates.description),
        (contribution_entered, NewEventStates.contribution),
    )
    for step, state in steps:
        router.message.register(step, StateFilter(state), text, coordinator)
    choosing = StateFilter(
        NewEventStates.level,
        NewEventStates.theme,
        NewEventStates.confirm,
        EditEventStates.pick,
        EditEventStates.confirm,
    )
    router.message.register(buttons_expected, choosing, text, coordinator)
    form = EventFormCallback.filter
    choices = (
        (level_chosen, NewEventStates.level, "level"),
        (theme_chosen, NewEventStates.theme, "theme"),
        (publish_chosen, NewEventStates.confirm, "publish"),
    )
    for choice, state, field in choices:
        router.callback_query.register(
            choice, form(F.field == field), StateFilter(state), coordinator
        )
    return router
