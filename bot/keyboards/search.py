"""Buttons of the search: one per result, pages, theme and municipality filters and their
pickers, theme suggestions, a card's [Similar] [Contact], and the "share your location" keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import (
    IntroAction,
    IntroCallback,
    NearbyCallback,
    SearchCallback,
    SearchItemAction,
    SearchItemCallback,
)
from bot.keyboards.map import map_button
from bot.keyboards.share import share_card_button
from bot.search import Listed
from bot.services.search.discover import PAGE_SIZE, Choices
from storage.models import Initiative

_TITLE_LENGTH = 40
_PICKER_SIZE = 12


def share_location_label() -> str:
    return _("📍 Share my location")


def stop_label() -> str:
    return _("✖️ Stop searching")


def search_mode_keyboard() -> ReplyKeyboardMarkup:
    """Shown while the bot waits for search words: only a reply keyboard can ask for a location."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=share_location_label(), request_location=True)],
            [KeyboardButton(text=stop_label())],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=_("e.g. moestuin, taalcafé Zeist"),
    )


def _title(number: int, initiative: Listed) -> str:
    name = initiative.name
    if len(name) > _TITLE_LENGTH:
        name = name[: _TITLE_LENGTH - 1] + "…"
    return f"{number}. {name}"


def _open(number: int, initiative: Listed) -> list[InlineKeyboardButton]:
    data = SearchItemCallback(action=SearchItemAction.OPEN, id=initiative.id).pack()
    return [InlineKeyboardButton(text=_title(number, initiative), callback_data=data)]


def _pages(page: int, pages: int, to_page: dict[int, str]) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=to_page[page - 1]))
    row.append(InlineKeyboardButton(text=f"{page + 1}/{pages}", callback_data=to_page[page]))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(text="▶", callback_data=to_page[page + 1]))
    return row


def results_keyboard(
    items: Sequence[Listed], request: SearchCallback, pages: int, locale: str
) -> InlineKeyboardMarkup:
    """A button per result, ◀ page ▶, and the theme and municipality filters."""
    first = request.page * PAGE_SIZE + 1
    rows = [_open(first + offset, item) for offset, item in enumerate(items)]

    def to(**changes: object) -> str:
        values = request.model_dump() | {"page": 0, "pick": ""} | changes
        return SearchCallback(**values).pack()

    if pages > 1:
        around = range(max(0, request.page - 1), min(pages, request.page + 2))
        rows.append(_pages(request.page, pages, {page: to(page=page) for page in around}))
    filters = []
    listing_a_theme = request.q == 0  # the theme is what was asked for: no button to drop it
    if request.theme in THEMES and not listing_a_theme:
        label = THEMES[request.theme].label(locale)
        filters.append(InlineKeyboardButton(text=f"🏷 {label} ✖", callback_data=to(theme="")))
    elif items and not listing_a_theme:
        filters.append(InlineKeyboardButton(text=_("🏷 Theme"), callback_data=to(pick="theme")))
    if request.place:
        filters.append(
            InlineKeyboardButton(text=f"📍 {request.place} ✖", callback_data=to(place=""))
        )
    elif items:
        filters.append(
            InlineKeyboardButton(text=_("📍 Municipality"), callback_data=to(pick="place"))
        )
    if filters:
        rows.append(filters)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def picker_keyboard(request: SearchCallback, choices: Choices, locale: str) -> InlineKeyboardMarkup:
    """The themes or municipalities among the results, with how many results each has."""
    builder = InlineKeyboardBuilder()
    base = request.model_dump() | {"page": 0, "pick": ""}
    if request.pick == "theme":
        for slug, count in choices.themes[:_PICKER_SIZE]:
            builder.button(
                text=f"{THEMES[slug].label(locale)} ({count})",
                callback_data=SearchCallback(**(base | {"theme": slug})),
            )
    else:
        for name, count in choices.municipalities[:_PICKER_SIZE]:
            builder.button(
                text=f"{name} ({count})", callback_data=SearchCallback(**(base | {"place": name}))
            )
    builder.button(text=_("⬅️ Back"), callback_data=SearchCallback(**base))
    builder.adjust(2)
    return builder.as_markup()


def suggestions_keyboard(slugs: list[str], locale: str) -> InlineKeyboardMarkup:
    """Themes close to a search that found nothing; each lists that theme (search number 0 is
    the search without words)."""
    builder = InlineKeyboardBuilder()
    for slug in slugs:
        builder.button(
            text=f"🏷 {THEMES[slug].label(locale)}",
            callback_data=SearchCallback(q=0, theme=slug),
        )
    builder.adjust(1)
    return builder.as_markup()


def similar_button(initiative_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=_("🔁 Similar"),
        callback_data=SearchItemCallback(action=SearchItemAction.SIMILAR, id=initiative_id).pack(),
    )


def card_keyboard(initiative: Initiative) -> InlineKeyboardMarkup:
    """The buttons of an initiative's public card, the same wherever it is opened: [Similar]
    [Contact], the place on our map (or on OpenStreetMap when the map has no public address
    and the initiative has a place), and [Share]."""
    builder = InlineKeyboardBuilder()
    ident = initiative.id
    builder.add(similar_button(ident))
    # [Contact] starts a relayed conversation (introductions with consent), which also shows
    # the public contact details where the initiative published them.
    builder.button(
        text=_("✉️ Contact"), callback_data=IntroCallback(action=IntroAction.START, id=ident)
    )
    on_our_map = map_button(f"i_{ident}")
    if on_our_map is not None:
        builder.add(on_our_map)
    elif initiative.lat is not None and initiative.lon is not None:
        builder.button(text=_("🗺 On the map"), url=map_link(initiative.lat, initiative.lon))
    builder.add(share_card_button(f"i_{ident}"))
    builder.adjust(2)
    return builder.as_markup()


def map_link(lat: float, lon: float) -> str:
    """OpenStreetMap at the spot (no account, no tracking cookies)."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"
    )


def list_keyboard(items: Sequence[Listed]) -> InlineKeyboardMarkup:
    """A button per initiative of a short list (similar initiatives)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[_open(number, item) for number, item in enumerate(items, start=1)]
    )


def nearby_keyboard(
    items: Sequence[Listed], token: int, page: int, pages: int
) -> InlineKeyboardMarkup:
    first = page * PAGE_SIZE + 1
    rows = [_open(first + offset, item) for offset, item in enumerate(items)]
    if pages > 1:
        around = range(max(0, page - 1), min(pages, page + 2))
        to_page = {number: NearbyCallback(q=token, page=number).pack() for number in around}
        rows.append(_pages(page, pages, to_page))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def contact_keyboard(initiative: Initiative) -> InlineKeyboardMarkup | None:
    """Buttons that open the website or the Telegram chat of an initiative, when it has them."""
    rows = []
    if initiative.website:
        url = initiative.website
        if not url.startswith(("http://", "https://")):
            url = "https://" + url
        rows.append([InlineKeyboardButton(text=_("🌐 Website"), url=url)])
    if initiative.telegram:
        rows.append(
            [InlineKeyboardButton(text=_("💬 Telegram"), url=f"https://t.me/{initiative.telegram}")]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def open_in_bot_keyboard(link: str) -> InlineKeyboardMarkup:
    """Under a card shared in another chat: open it in Samenspel."""
    button = InlineKeyboardButton(text=_("🔎 Open in Samenspel"), url=link)
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
