"""Inline keyboards of the events feature: the agenda with its filters, a card, pickers."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import period_label
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventListCallback,
    EventPartyCallback,
    FeedbackCallback,
    ReconfirmCallback,
    WishAction,
    WishCallback,
)
from bot.keyboards.map import map_button
from bot.keyboards.share import share_card_button
from bot.labels import KIND_ICONS, kind_label, level_label, theme_label
from bot.services.events.browse import PAGE_SIZE, BrowsePage, EventView
from bot.services.events.periods import NEXT_WEEK, THIS_WEEK
from bot.services.events.registrations import Suggestion, party_limit
from storage.models import Event, EventStatus, Registration, RegistrationStatus

_TITLE_LENGTH = 36
# Which picker the agenda opens: theme, place or month (older buttons said "theme"/"place").
PICK_THEME, PICK_PLACE, PICK_MONTH = "t", "p", "m"
PICKERS = {PICK_THEME: "theme", "theme": "theme", PICK_PLACE: "place", "place": "place"}
PICKERS[PICK_MONTH] = "when"


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def _event_button(number: int, event: Event) -> InlineKeyboardButton:
    title = event.title if len(event.title) <= _TITLE_LENGTH else event.title[:35] + "…"
    return InlineKeyboardButton(
        text=f"{number}. {title}",
        callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id).pack(),
    )


def agenda_keyboard(
    page: BrowsePage, request: EventListCallback, locale: str
) -> InlineKeyboardMarkup:
    """Buttons to open each listed event, filters, and pages."""
    rows: list[list[InlineKeyboardButton]] = []
    first = page.page * PAGE_SIZE + 1
    for offset, found in enumerate(page.items):
        rows.append([_event_button(first + offset, found.event)])

    def to(**changes: object) -> str:
        values = request.model_dump() | {"page": 0, "pick": ""} | changes
        return EventListCallback(**values).pack()

    kinds = [("", _("All")), ("table", _("Tables")), ("training", _("Trainings"))]
    kinds.append(("meetup", _("Meetups")))
    rows.append(
        [
            InlineKeyboardButton(
                text=_mark(label, request.kind == kind), callback_data=to(kind=kind)
            )
            for kind, label in kinds
        ]
    )
    periods = [("", _("Any time")), (THIS_WEEK, _("This week")), (NEXT_WEEK, _("Next week"))]
    row = [
        InlineKeyboardButton(text=_mark(label, request.when == when), callback_data=to(when=when))
        for when, label in periods
    ]
    chosen_period = period_label(request.when, locale)
    row.append(
        InlineKeyboardButton(
            text=_mark("📆 " + (chosen_period or _("Month")), bool(chosen_period)),
            callback_data=to(pick=PICK_MONTH),
        )
    )
    rows.append(row)
    theme = theme_label(request.theme, locale) if request.theme else _("all")
    place = request.place or _("all")
    rows.append(
        [
            InlineKeyboardButton(
                text="🏷 " + _("Theme: {theme}").format(theme=theme),
                callback_data=to(pick=PICK_THEME),
            ),
            InlineKeyboardButton(
                text="📍 " + _("Place: {place}").format(place=place),
                callback_data=to(pick=PICK_PLACE),
            ),
        ]
    )
    if page.pages > 1:
        nav: list[InlineKeyboardButton] = []
        if page.page > 0:
            nav.append(InlineKeyboardButton(text="◀", callback_data=to(page=page.page - 1)))
        nav.append(
            InlineKeyboardButton(
                text=f"{page.page + 1}/{page.pages}", callback_data=to(page=page.page)
            )
        )
        if page.page + 1 < page.pages:
            nav.append(InlineKeyboardButton(text="▶", callback_data=to(page=page.page + 1)))
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def picker_keyboard(
    request: EventListCallback, field: str, values: list[str], locale: str
) -> InlineKeyboardMarkup:
    """Choose a theme, a municipality or a month of the upcoming events (or all)."""
    builder = InlineKeyboardBuilder()
    base = request.model_dump() | {"page": 0, "pick": ""}
    builder.button(text=_("All"), callback_data=EventListCallback(**(base | {field: ""})))
    for value in values:
        if field == "theme":
            label = theme_label(value, locale)
        elif field == "when":
            label = period_label(value, locale)
        else:
            label = value
        chosen = getattr(request, field) == value
        builder.button(
            text=_mark(label, chosen), callback_data=EventListCallback(**(base | {field: value}))
        )
    builder.adjust(2)
    return builder.as_markup()


def card_keyboard(
    found: EventView,
    registration: Registration | None,
    *,
    open_for_signup: bool,
    open_for_changes: bool = True,
) -> InlineKeyboardMarkup:
    """Sign up, join the waitlist, cancel, or get the calendar file; and back to the agenda.
    Once an event has started or was called off, only the way back is left."""
    event_id = found.event.id
    rows: list[list[InlineKeyboardButton]] = []
    status = registration.status if registration and open_for_changes else None

    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=EventCallback(action=action, event_id=event_id).pack()
        )

    groups = party_limit(found.event) > 1
    if status == RegistrationStatus.CONFIRMED:
        rows.append([button("❌ " + _("Cancel my seat"), "leave")])
        rows.append([button("📆 " + _("Add to my calendar"), "ics")])
        if groups:
            rows.append([button("👥 " + _("Change the number of people"), "group")])
    elif status == RegistrationStatus.WAITLISTED:
        rows.append([button("❌ " + _("Leave the waitlist"), "leave")])
        if groups:
            rows.append([button("👥 " + _("Change the number of people"), "group")])
    elif open_for_signup and found.is_full:
        rows.append([button("⏳ " + _("Join the waitlist"), "join")])
        wish = WishCallback(action=WishAction.ADD, id=event_id).pack()
        rows.append(
            [InlineKeyboardButton(text="🔔 " + wish_label(found.event), callback_data=wish)]
        )
        if groups:
            rows.append([button("👥 " + _("Wait with more people"), "group")])
    elif open_for_signup:
        rows.append([button("✅ " + _("Sign up"), "join")])
        if groups:
            rows.append([button("👥 " + _("Sign up with more people"), "group")])
    back = InlineKeyboardButton(
        text="◀ " + _("All events"), callback_data=EventListCallback().pack()
    )
    if found.event.status == EventStatus.PUBLISHED:
        on_the_map = map_button(f"e_{found.event.id}")
        if on_the_map is not None:
            rows.append([on_the_map])
        rows.append([back, share_card_button(f"e_{found.event.id}")])
    else:
        rows.append([back])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def party_keyboard(event: Event, current: int | None) -> InlineKeyboardMarkup:
    """A button per number of people, 1 up to the event's limit; the current one marked."""
    builder = InlineKeyboardBuilder()
    for people in range(1, party_limit(event) + 1):
        builder.button(
            text=_mark(str(people), people == current),
            callback_data=EventPartyCallback(event_id=event.id, people=people),
        )
    builder.adjust(5)
    builder.row(
        InlineKeyboardButton(
            text="◀ " + _("Back"),
            callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id).pack(),
        )
    )
    return builder.as_markup()


def suggestions_keyboard(events: list[Suggestion]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=f"{KIND_ICONS.get(event.kind, '📅')} {event.title[:40]}",
                callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id).pack(),
            )
        ]
        for event in events
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def promoted_keyboard(event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="❌ " + _("I can't come after all"),
                    callback_data=EventCallback(action=EventAction.LEAVE, event_id=event_id).pack(),
                )
            ]
        ]
    )


def reconfirm_keyboard(registration_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="✅ " + _("Yes"),
                    callback_data=ReconfirmCallback(
                        registration_id=registration_id, coming=True
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text="❌ " + _("No"),
                    callback_data=ReconfirmCallback(
                        registration_id=registration_id, coming=False
                    ).pack(),
                ),
            ]
        ]
    )


def seat_offer_keyboard(event_id: int, *, join: bool = False) -> InlineKeyboardMarkup:
    """[Ja, ik kom] under a seat offered to the whole waitlist (or, `join`, to someone whose
    list it fits: then the tap signs up)."""
    action = EventAction.JOIN if join else EventAction.TAKE
    take = EventCallback(action=action, event_id=event_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="✅ " + _("Yes, I'll come"), callback_data=take)]
        ]
    )


def feedback_keyboard(event_id: int) -> InlineKeyboardMarkup:
    """1 to 5 stars in one row."""
    stars = [
        InlineKeyboardButton(
            text=f"{rating}⭐",
            callback_data=FeedbackCallback(event_id=event_id, rating=rating).pack(),
        )
        for rating in range(1, 6)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[stars])


def feedback_done_keyboard(event_id: int) -> InlineKeyboardMarkup:
    done = FeedbackCallback(event_id=event_id, rating=0).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Done"), callback_data=done)]]
    )


def feedback_share_keyboard(event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Yes, share it"),
                    callback_data=FeedbackCallback(event_id=event_id, share=1).pack(),
                ),
                InlineKeyboardButton(
                    text=_("No, only the stars"),
                    callback_data=FeedbackCallback(event_id=event_id, share=0).pack(),
                ),
            ]
        ]
    )


def wish_label(event: Event) -> str:
    """ "Elke dialoogtafel in Utrecht deze week" / "Elke training Spannend in die maand"."""
    if event.kind == "training":
        return _("Every training {level} that month").format(level=level_label(event.level or ""))
    return _("Every {kind} in {place} that week").format(
        kind=kind_label(event.kind).lower(), place=event.municipality
    )
