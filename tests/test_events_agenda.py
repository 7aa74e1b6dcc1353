"""/mijnagenda through the real Dispatcher, and the .ics calendar file it sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage
from aiogram.types import BufferedInputFile

from bot.clock import FakeClock
from bot.keyboards.callbacks import EventAction, EventCallback, MenuAction, MenuCallback
from bot.services.events.ics import escape_text, event_calendar, fold
from storage.models import Event
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import START_DEFAULT, make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def _two_events(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, who: Any
) -> tuple[int, int]:
    seat = (await make_event(repo, clock, title="Tafel")).id
    full = (
        await make_event(
            repo, clock, title="Vol", capacity=1, starts_at=START_DEFAULT + timedelta(days=1)
        )
    ).id
    await feed(
        callback_update(make_user(), EventCallback(action=EventAction.JOIN, event_id=full).pack())
    )
    for event_id in (seat, full):
        await feed(
            callback_update(who, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
        )
    bot_api.take_all()
    return seat, full


async def test_my_agenda_lists_seats_and_waitlist_places_in_dutch(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await _two_events(feed, bot_api, repo, clock, anna)

    await feed(message_update(anna, "/mijnagenda"))

    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "🗓 <b>Mijn agenda</b>\n\n"
        "1. 🗣 <b>Tafel</b>\n"
        "    di 10 mrt, 19:30–21:30 · Utrecht\n"
        "    ✅ aangemeld\n"
        "2. 🗣 <b>Vol</b>\n"
        "    wo 11 mrt, 19:30–21:30 · Utrecht\n"
        "    ⏳ wachtlijst: plek 1"
    )
    assert button_rows(reply.reply_markup) == [
        ["📆 Agenda 1", "❌ Afmelden 1"],
        ["📆 Agenda 2", "❌ Afmelden 2"],
    ]


async def test_empty_agenda_in_english_from_the_menu(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(
        callback_update(
            make_user(language_code="en"), MenuCallback(action=MenuAction.MY_AGENDA).pack()
        )
    )

    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Your agenda is empty. See what's on with /agenda."


async def test_calendar_button_sends_an_ics_document(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(language_code="en")
    seat, _full = await _two_events(feed, bot_api, repo, clock, emma)

    await feed(callback_update(emma, EventCallback(action=EventAction.ICS, event_id=seat).pack()))

    bot_api.take(AnswerCallbackQuery)
    sent = bot_api.take(SendDocument)
    assert sent.caption == "Open this file to add the event to your calendar."
    assert isinstance(sent.document, BufferedInputFile)
    assert sent.document.filename == f"samenspel-{seat}.ics"
    content = sent.document.data.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20260310T193000\r\n" in content
    assert "SUMMARY:Tafel\r\n" in content


async def test_cancelling_from_the_agenda_shows_the_agenda_again(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    seat, _full = await _two_events(feed, bot_api, repo, clock, anna)

    await feed(
        callback_update(anna, EventCallback(action=EventAction.UNLIST, event_id=seat).pack())
    )

    assert bot_api.take(AnswerCallbackQuery).text == (
        "Je bent afgemeld. Dank je wel dat je het laat weten!"
    )
    edited = bot_api.take(EditMessageText)
    assert (edited.text or "").startswith("🗓 <b>Mijn agenda</b>\n\n1. 🗣 <b>Vol</b>")
    assert button_rows(edited.reply_markup) == [["📆 Agenda 1", "❌ Afmelden 1"]]


def _event(**values: Any) -> Event:
    start = values.pop("starts_at", datetime(2026, 6, 2, 17, 30, tzinfo=UTC))
    event = Event(
        id=7,
        kind="table",
        status="published",
        title="Samen, aan; tafel",
        description="Regel één\nRegel twee \\ klaar",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="De Pijler",
        address="Oudegracht 1",
        municipality="Utrecht",
        capacity=10,
        version=2,
        latitude=52.09,
        longitude=5.12,
    )
    for name, value in values.items():
        setattr(event, name, value)
    return event


def test_ics_is_a_valid_calendar_with_amsterdam_times() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    content = event_calendar(_event(), now=now, tz=ZoneInfo("Europe/Amsterdam")).decode()

    assert content.endswith("\r\n") and "\n" not in content.replace("\r\n", "")
    lines = content.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Europe/Amsterdam" in lines
    assert "DTSTART;TZID=Europe/Amsterdam:20260602T193000" in lines  # summer time: UTC+2
    assert "DTEND;TZID=Europe/Amsterdam:20260602T213000" in lines
    assert "DTSTAMP:20260302T090000Z" in lines
    assert "UID:event-7@samenspel" in lines and "SEQUENCE:1" in lines
    assert "SUMMARY:Samen\\, aan\\; tafel" in lines
    assert "DESCRIPTION:Regel één\\nRegel twee \\\\ klaar" in lines
    assert "LOCATION:De Pijler\\, Oudegracht 1\\, Utrecht" in lines
    assert "GEO:52.090000;5.120000" in lines
    assert "STATUS:CONFIRMED" in lines


def test_long_lines_are_folded_at_75_octets_without_breaking_characters() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_ics_falls_back_to_utc_outside_amsterdam() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    content = event_calendar(_event(), now=now, tz=ZoneInfo("Europe/London")).decode()
    assert "DTSTART:20260602T173000Z" in content and "VTIMEZONE" not in content
