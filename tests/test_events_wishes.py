"""A flexible waitlist across events: from a full card, "every table in Utrecht that week" (a
training: every one of its level that month); a seat nobody waits for goes to the oldest
matching wish, a new matching event is told, and the list shows and shrinks in /mijnagenda."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import EventAction, EventCallback, WishAction, WishCallback
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.connections_support import outbox_rows, render
from tests.event_helpers import START_DEFAULT, make_event, registration_of
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, data: str) -> str:
    await feed(callback_update(who, data))
    calls = bot_api.take_all()
    answers = [call for call in calls if isinstance(call, AnswerCallbackQuery)]
    bot_api.calls.extend(call for call in calls if not isinstance(call, AnswerCallbackQuery))
    return answers[0].text or ""


def _event(action: str, event_id: int) -> str:
    return EventCallback(action=action, event_id=event_id).pack()


async def test_a_wish_from_a_full_card_gets_a_freed_seat_and_new_tables(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id  # Tuesday 10 March, Utrecht
    anna = make_user(first_name="Anna", language_code="nl")
    bert = make_user(first_name="Bert", language_code="nl")
    await _tap(feed, bot_api, anna, _event(EventAction.JOIN, event_id))
    bot_api.take_all()

    await _tap(feed, bot_api, bert, _event(EventAction.OPEN, event_id))
    card = bot_api.take(SendMessage)
    assert button_rows(card.reply_markup)[:2] == [
        ["⏳ Zet me op de wachtlijst"],
        ["🔔 Elke dialoogtafel in Utrecht in die week"],
    ]
    wish = WishCallback(action=WishAction.ADD, id=event_id).pack()
    assert await _tap(feed, bot_api, bert, wish) == (
        "🔔 Op je lijst: elke dialoogtafel in Utrecht, 9 mrt t/m 15 mrt. Komt er bij een "
        "daarvan een plek vrij, of komt er een nieuwe, dan hoor je het meteen. Je lijst staat "
        "in /mijnagenda."
    )
    assert await _tap(feed, bot_api, bert, wish) == (
        "Dat stond al op je lijst: elke dialoogtafel in Utrecht, 9 mrt t/m 15 mrt."
    )

    # Anna gives her seat back a week ahead; nobody waits, so Bert's wish gets it offered.
    await _tap(feed, bot_api, anna, _event(EventAction.LEAVE_CONFIRMED, event_id))
    bot_api.take_all()
    (offer,) = await outbox_rows(repo, "event.wish_offer")
    assert offer.recipient_id == bert.id
    shown = await render(repo, offer, settings, clock.now(), "nl")
    assert shown is not None and shown.text.startswith(
        "🔔 Er is een plek vrij bij <b>Samen aan tafel</b>, en het past bij je lijst. "
        "Wil je hem?\n📅 di 10 mrt, 19:30–21:30"
    )
    assert button_rows(shown.reply_markup) == [["✅ Ja, ik kom"]]
    assert await _tap(feed, bot_api, bert, _event(EventAction.JOIN, event_id)) == (
        "Je bent aangemeld! Tot dan."
    )
    bot_api.take_all()
    assert await registration_of(repo, event_id, bert.id) == ("confirmed", None, False)

    # New tables: Thursday in Utrecht fits; Zeist, and next week, don't.
    await make_event(repo, clock, title="Donderdag", starts_at=START_DEFAULT + timedelta(days=2))
    await make_event(repo, clock, title="In Zeist", municipality="Zeist")
    await make_event(repo, clock, title="Later", starts_at=START_DEFAULT + timedelta(days=7))
    (told,) = await outbox_rows(repo, "event.wish_new")
    shown = await render(repo, told, settings, clock.now(), "nl")
    assert shown is not None and shown.text.startswith(
        "🔔 Nieuw, en het past bij je lijst: <b>Donderdag</b>"
    )

    # /mijnagenda lists the wish; ✖ takes it off.
    await feed(message_update(bert, "/mijnagenda"))
    agenda = bot_api.take(SendMessage)
    assert "🔔 Op je lijst: elke dialoogtafel in Utrecht, 9 mrt t/m 15 mrt" in (agenda.text or "")
    assert ["✖ Van mijn lijst"] in button_rows(agenda.reply_markup)
    drop = next(
        button.callback_data
        for row in agenda.reply_markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
        if button.text == "✖ Van mijn lijst"
    )
    assert await _tap(feed, bot_api, bert, str(drop)) == "Van je lijst gehaald."
    assert "Op je lijst" not in (bot_api.take(EditMessageText).text or "")


async def test_a_training_wish_is_its_level_in_that_month(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    training_id = (
        await make_event(repo, clock, kind="training", level="basis", capacity=1, theme=None)
    ).id
    await _tap(feed, bot_api, make_user(language_code="nl"), _event(EventAction.JOIN, training_id))
    bot_api.take_all()
    emma = make_user(first_name="Emma", language_code="en")
    await _tap(feed, bot_api, emma, _event(EventAction.OPEN, training_id))
    assert ["🔔 Every training Basis that month"] in button_rows(
        bot_api.take(SendMessage).reply_markup
    )
    answer = await _tap(
        feed, bot_api, emma, WishCallback(action=WishAction.ADD, id=training_id).pack()
    )
    assert answer.startswith("🔔 On your list: every training Basis, March 2026.")
    await make_event(
        repo, clock, kind="training", level="basis", title="Basis again", theme=None,
        starts_at=START_DEFAULT + timedelta(days=14),
    )  # fmt: skip
    await make_event(
        repo, clock, kind="training", level="spannend", title="Spannend", theme=None,
        starts_at=START_DEFAULT + timedelta(days=3),
    )  # fmt: skip
    rows = await outbox_rows(repo, "event.wish_new")
    assert [row.recipient_id for row in rows] == [emma.id]  # Basis in March only
