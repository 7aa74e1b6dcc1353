"""/agenda, /tafels, /trainingen, the menu's agenda, filters, pages and the card (also by deep
link), through the real Dispatcher in Dutch and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    EventListCallback,
    MenuAction,
    MenuCallback,
)
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import START_DEFAULT, make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

FILTERS_NL = [
    ["✓ Alles", "Tafels", "Trainingen", "Ontmoetingen"],
    ["✓ Altijd", "Deze week", "Volgende week", "📆 Maand"],
    ["🏷 Thema: alle", "📍 Plaats: alle"],
]


async def test_agenda_lists_upcoming_events_soonest_first_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await make_event(repo, clock, title="Later", starts_at=START_DEFAULT + timedelta(days=7))
    await make_event(
        repo,
        clock,
        title="Basistraining",
        kind="training",
        level="basis",
        contribution="€ 25",
        theme=None,
        capacity=2,
    )
    await make_event(
        repo,
        clock,
        title="Voorbij",
        starts_at=clock.now() - timedelta(days=1),
        ends_at=clock.now() - timedelta(hours=22),
    )

    await feed(message_update(make_user(language_code="nl"), "/agenda"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "📅 <b>Agenda</b>\n\n"
        "1. 🎓 <b>Basistraining</b>\n"
        "    di 10 mrt, 19:30–21:30 · Utrecht · nog 2 plekken\n"
        "2. 🗣 <b>Later</b>\n"
        "    di 17 mrt, 19:30–21:30 · Utrecht · nog 10 plekken\n\n"
        "Tik op een activiteit om meer te zien en je aan te melden."
    )
    assert button_rows(reply.reply_markup) == [["1. Basistraining"], ["2. Later"], *FILTERS_NL]


async def test_tables_command_shows_only_tables_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await make_event(repo, clock, title="Tafel")
    await make_event(repo, clock, title="Training", kind="training", level="basis")

    await feed(message_update(make_user(language_code="en"), "/tafels"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "📅 <b>What's on</b>\n\n"
        "1. 🗣 <b>Tafel</b>\n"
        "    Tue 10 Mar, 19:30–21:30 · Utrecht · 10 seats left\n\n"
        "Tap an event to see more and to sign up."
    )
    assert button_rows(reply.reply_markup)[1] == ["All", "✓ Tables", "Trainings", "Meetups"]


async def test_empty_agenda_says_so(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="nl"), "/trainingen"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "📅 <b>Agenda</b>\n\nEr staat niets gepland dat hierbij past. Probeer een ander filter."
    )


async def test_menu_agenda_button_opens_the_agenda(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await make_event(repo, clock)
    await feed(
        callback_update(
            make_user(language_code="nl"), MenuCallback(action=MenuAction.AGENDA).pack()
        )
    )

    bot_api.take(AnswerCallbackQuery)
    assert (bot_api.take(SendMessage).text or "").startswith("📅 <b>Agenda</b>\n\n1. 🗣")


async def test_filters_by_week_theme_and_place_edit_the_same_message(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    this_week = clock.now() + timedelta(days=2)
    await make_event(repo, clock, title="Deze week", starts_at=this_week)
    await make_event(repo, clock, title="Wonen Zeist", theme="wonen", municipality="Zeist")
    anna = make_user(language_code="nl")

    await feed(callback_update(anna, EventListCallback(when="w1").pack()))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert "Deze week" in (edited.text or "") and "Wonen Zeist" not in (edited.text or "")
    assert button_rows(edited.reply_markup)[2] == [
        "Altijd",
        "✓ Deze week",
        "Volgende week",
        "📆 Maand",
    ]

    await feed(callback_update(anna, EventListCallback(pick="t").pack()))
    bot_api.take(AnswerCallbackQuery)
    picker = bot_api.take(EditMessageText)
    assert picker.text == "Welk thema?"
    assert button_rows(picker.reply_markup) == [["Alles", "Eenzaamheid"], ["Wonen"]]

    await feed(callback_update(anna, EventListCallback(theme="wonen").pack()))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert "Wonen Zeist" in (edited.text or "") and "Deze week" not in (edited.text or "")
    assert button_rows(edited.reply_markup)[-1] == ["🏷 Thema: Wonen", "📍 Plaats: alle"]

    # The place picker under the theme filter offers only places that have such events.
    await feed(callback_update(anna, EventListCallback(theme="wonen", pick="p").pack()))
    bot_api.take(AnswerCallbackQuery)
    assert button_rows(bot_api.take(EditMessageText).reply_markup) == [["Alles", "Zeist"]]
    await feed(callback_update(anna, EventListCallback(pick="place").pack()))  # an older button
    bot_api.take(AnswerCallbackQuery)
    assert button_rows(bot_api.take(EditMessageText).reply_markup) == [
        ["Alles", "Utrecht"],
        ["Zeist"],
    ]


async def test_the_agenda_of_a_month_or_a_day(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    # The clock says Monday 2 March 2026.
    await make_event(repo, clock, title="In maart", starts_at=START_DEFAULT)
    april = datetime(2026, 4, 14, 17, 0, tzinfo=UTC)
    await make_event(repo, clock, title="In april", starts_at=april, theme="wonen")
    june = datetime(2026, 6, 2, 17, 0, tzinfo=UTC)
    await make_event(repo, clock, title="In juni", starts_at=june, municipality="Zeist")
    anna = make_user(language_code="nl")

    await feed(callback_update(anna, EventListCallback(pick="m").pack()))
    bot_api.take(AnswerCallbackQuery)
    picker = bot_api.take(EditMessageText)
    assert picker.text == "Welke maand?"
    assert button_rows(picker.reply_markup) == [
        ["Alles", "maart 2026"],
        ["april 2026", "juni 2026"],
    ]
    # Under a place filter only the months with events there are offered.
    await feed(callback_update(anna, EventListCallback(place="Zeist", pick="m").pack()))
    bot_api.take(AnswerCallbackQuery)
    assert button_rows(bot_api.take(EditMessageText).reply_markup) == [["Alles", "juni 2026"]]

    await feed(callback_update(anna, EventListCallback(when="2604").pack()))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert (edited.text or "").startswith("📅 <b>Agenda</b> · april 2026\n\n1. 🗣 <b>In april</b>")
    assert "In maart" not in (edited.text or "")
    assert button_rows(edited.reply_markup)[2] == [
        "Altijd",
        "Deze week",
        "Volgende week",
        "✓ 📆 april 2026",
    ]

    await feed(message_update(anna, "/agenda juni"))
    shown = bot_api.take(SendMessage).text or ""
    assert shown.startswith("📅 <b>Agenda</b> · juni 2026\n\n1. 🗣 <b>In juni</b>")
    await feed(message_update(anna, "/agenda 10 maart"))
    assert "In maart" in (bot_api.take(SendMessage).text or "")
    await feed(message_update(anna, "/agenda 11 maart"))
    assert (bot_api.take(SendMessage).text or "").startswith(
        "📅 <b>Agenda</b> · wo 11 mrt\n\nEr staat niets gepland"
    )
    await feed(message_update(anna, "/agenda ooit"))
    assert bot_api.take(SendMessage).text == (
        "Die datum kan ik niet lezen. Probeer bijvoorbeeld <code>/agenda maart</code>, "
        "<code>/agenda 12 december</code> of <code>/agenda volgende week</code>."
    )

    bert = make_user(language_code="en")
    await feed(message_update(bert, "/agenda april"))
    assert (bot_api.take(SendMessage).text or "").startswith("📅 <b>What's on</b> · April 2026")


async def test_agenda_pages_five_at_a_time(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    for day in range(7):
        await make_event(
            repo, clock, title=f"Tafel {day + 1}", starts_at=START_DEFAULT + timedelta(days=day)
        )
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/agenda"))
    first = bot_api.take(SendMessage)
    assert button_rows(first.reply_markup)[-1] == ["1/2", "▶"]

    await feed(callback_update(anna, EventListCallback(page=1).pack()))

    bot_api.take(AnswerCallbackQuery)
    second = bot_api.take(EditMessageText)
    assert "6. 🗣 <b>Tafel 6</b>" in (second.text or "")
    assert button_rows(second.reply_markup)[:2] == [["6. Tafel 6"], ["7. Tafel 7"]]
    assert button_rows(second.reply_markup)[-1] == ["◀", "2/2"]


async def test_deep_link_opens_the_card_with_contribution_and_facilitator_state(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event = await make_event(
        repo,
        clock,
        kind="training",
        level="spannend",
        title="Spannend",
        contribution="€ 25",
        theme=None,
        description="Voor <iedereen>.",
    )
    event_id = event.id

    await feed(message_update(make_user(language_code="en"), f"/start e_{event_id}"))

    card = bot_api.take(SendMessage)
    assert card.text == (
        "🎓 <b>Spannend</b>\n"
        "Training Spannend\n\n"
        "📅 Tue 10 Mar, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
        "✅ 10 seats left\n"
        "💶 contribution: € 25\n"
        "🎓 first needed: training Basis\n\n"
        "Voor &lt;iedereen&gt;."
    )
    assert button_rows(card.reply_markup) == [["✅ Sign up"], ["◀ All events", "📤 Share"]]


async def test_card_opens_from_the_list_and_an_unknown_deep_link_shows_the_menu(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")

    await feed(
        callback_update(anna, EventCallback(action=EventAction.OPEN, event_id=event_id).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert (bot_api.take(SendMessage).text or "").startswith("🗣 <b>Samen aan tafel</b>")

    await feed(message_update(anna, "/start e_999999"))
    assert bot_api.take(SendMessage).text.startswith(
        "Ik kan die activiteit niet vinden. Misschien is ze afgelast of weggehaald.\n\nHoi "
    )


async def test_card_of_a_called_off_event_offers_no_sign_up_or_cancel(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.services.events.admin import cancel_event

    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await feed(
        callback_update(anna, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
    )
    bot_api.take_all()
    await cancel_event(repo, event_id, actor_id=None, now=clock.now())

    await feed(message_update(anna, f"/start e_{event_id}"))

    card = bot_api.take(SendMessage)
    assert "❌ Deze activiteit gaat niet door." in (card.text or "")
    assert "Je bent aangemeld." not in (card.text or "")
    assert button_rows(card.reply_markup) == [
        ["◀ Alle activiteiten"]
    ]  # a called-off event is not shared


@pytest.mark.parametrize(
    ("needed", "confirmed", "language", "line"),
    [
        (3, 2, "nl", "🧑‍🏫 2 van 3 begeleiders bevestigd"),
        (3, 0, "en", "🧑‍🏫 0 of 3 facilitators confirmed"),
        (1, 1, "nl", "🧑‍🏫 begeleider: bevestigd"),
    ],
)
async def test_the_card_says_how_many_facilitators_are_confirmed(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock,
    needed: int, confirmed: int, language: str, line: str,
) -> None:  # fmt: skip
    event_id = (await make_event(repo, clock)).id
    async with repo.write():
        event = await repo.events.get(event_id)
        assert event is not None
        event.facilitators_needed, event.facilitators_confirmed = needed, confirmed
    await feed(message_update(make_user(language_code=language), f"/start e_{event_id}"))
    assert line in bot_api.take(SendMessage).text.split("\n")


def test_every_agenda_button_fits_telegrams_64_bytes_with_the_longest_filters(
    i18n: CatalogI18n,
) -> None:
    from bot.catalog.municipalities import MUNICIPALITIES
    from bot.catalog.themes import THEMES
    from bot.i18n import speaking
    from bot.keyboards.events import agenda_keyboard
    from bot.services.events.browse import BrowsePage

    longest_place = max((m.name for m in MUNICIPALITIES), key=len)
    request = EventListCallback(
        kind="training", theme=max(THEMES, key=len), place=longest_place, when="270328", page=10
    )
    with speaking(i18n, "nl"):
        keyboard = agenda_keyboard(BrowsePage([], 10, 12, 60), request, "nl")
    sizes = [
        len((button.callback_data or "").encode())
        for row in keyboard.inline_keyboard
        for button in row
    ]
    assert sizes and max(sizes) <= 64


async def test_an_opened_card_counts_groups_and_the_waitlist_and_shows_the_readers_own_place(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.services.events import registrations
    from storage.models import EventStatus
    from tests.event_helpers import make_people

    event_id = (await make_event(repo, clock, capacity=4)).id
    group, alone, late, later = await make_people(repo, clock, 4, 7_100)
    now = clock.now()
    await registrations.sign_up(repo, event_id, group, now=now, party_size=3)
    await registrations.sign_up(repo, event_id, alone, now=now)
    await registrations.sign_up(repo, event_id, late, now=now, party_size=2)
    await registrations.sign_up(repo, event_id, later, now=now)
    tap = EventCallback(action=EventAction.OPEN, event_id=event_id).pack()

    await feed(callback_update(make_user(id=late, language_code="nl"), tap))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage).text or ""
    assert "⛔ vol — wachtlijst: 2" in card.split("\n")
    assert card.endswith("⏳ Je staat met 2 personen op de wachtlijst: nummer 1.")

    await feed(callback_update(make_user(id=group, language_code="en"), tap))
    bot_api.take(AnswerCallbackQuery)
    assert (bot_api.take(SendMessage).text or "").endswith("✅ You are signed up with 3 people.")

    stranger = make_user(language_code="en")
    await feed(callback_update(stranger, tap))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage)
    assert "⛔ full — waitlist: 2" in (card.text or "").split("\n")
    assert "You are" not in (card.text or "")
    assert button_rows(card.reply_markup)[0] == ["⏳ Join the waitlist"]

    async with repo.write():
        event = await repo.events.get(event_id)
        assert event is not None
        event.status = EventStatus.DRAFT
    await feed(callback_update(stranger, tap))
    assert bot_api.take(AnswerCallbackQuery).text == "This event no longer exists."
