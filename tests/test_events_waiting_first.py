"""Free seats close to the start that nobody takes, and the gentle use of the reliability
record: after several no-shows a sign-up for a popular table waits first while others get the
seats, and shares in the offer of whatever is left two days before the start; an offer to the
waitlist that nobody takes within two hours goes on to the flexible waitlist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import EventAction, EventCallback, WishAction, WishCallback
from bot.services.events import reliability
from bot.services.events.seat_offers import OFFER_TIMEOUT, pass_on_free_seats
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows, render
from tests.coordination_support import add_user, register
from tests.event_helpers import make_event, registration_of
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI


def _event(action: str, event_id: int) -> str:
    return EventCallback(action=action, event_id=event_id).pack()


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, data: str) -> tuple[str, list[str]]:
    """The answer under the tap and the texts of the messages sent after it."""
    await feed(callback_update(who, data))
    calls = bot_api.take_all()
    answer = next(call for call in calls if isinstance(call, AnswerCallbackQuery))
    return answer.text or "", [c.text or "" for c in calls if isinstance(c, SendMessage)]


async def _missed_tables(repo: Repo, clock: FakeClock, user: Any, count: int) -> None:
    """`count` tables of the last months where the person had a seat and didn't come."""
    await add_user(repo, user.id, first_name=user.first_name, now=clock.now())
    for month in range(1, count + 1):
        past = await make_event(repo, clock, starts_at=clock.now() - timedelta(days=30 * month))
        await register(repo, past.id, user.id, "no_show", now=clock.now())


async def test_after_several_no_shows_a_popular_table_waits_first_then_shares_in_the_offer(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    event_id = (
        await make_event(repo, clock, capacity=4, starts_at=clock.now() + timedelta(days=6))
    ).id
    sam = make_user(first_name="Sam", language_code="nl")
    await _missed_tables(repo, clock, sam, 3)
    anna, bert, carla, dirk = (make_user(first_name=n, language_code="nl") for n in "ABCD")
    await _tap(feed, bot_api, anna, _event(EventAction.JOIN, event_id))
    await _tap(feed, bot_api, bert, _event(EventAction.JOIN, event_id))

    # The third of four seats would make the table popular: Sam waits first, and hears why.
    answer, told = await _tap(feed, bot_api, sam, _event(EventAction.JOIN, event_id))
    assert answer == "Je staat eerst op de wachtlijst: nummer 1."
    assert told[:1] == [
        "⏳ <b>Samen aan tafel</b> is populair, en je was de laatste tijd een paar keer niet "
        "bij een tafel zonder af te melden. Daarom wacht je deze keer eerst (nummer 1) en "
        "krijgen anderen de plekken. Twee dagen voor de start gaan alle plekken die nog vrij "
        "zijn naar de hele wachtlijst tegelijk, ook naar jou. Met /mijnstatus zie je hoe je "
        "ervoor staat en hoe het beter wordt."
    ]
    assert await registration_of(repo, event_id, sam.id) == ("waitlisted", 1, False)
    await feed(message_update(sam, "/mijnstatus"))
    assert (
        "Door de keren dat je niet kwam, wacht je bij drukke tafels voorlopig eerst op de "
        "wachtlijst. Twee dagen voor de start gaan de plekken die over zijn naar de hele "
        "wachtlijst, dus je maakt nog steeds alle kans."
    ) in (bot_api.take(SendMessage).text or "")
    # Others who come later still get the free seats.
    assert (await _tap(feed, bot_api, carla, _event(EventAction.JOIN, event_id)))[0] == (
        "Je bent aangemeld! Tot dan."
    )
    # A seat freed days ahead is not given to Sam by itself …
    await _tap(feed, bot_api, anna, _event(EventAction.LEAVE_CONFIRMED, event_id))
    assert await registration_of(repo, event_id, sam.id) == ("waitlisted", 1, False)
    assert await pass_on_free_seats(repo, now=clock.now()) == 0  # not yet within two days
    assert await outbox_rows(repo, "event.seat_offer") == []

    # … but two days before the start the seats left are offered to the waitlist, Sam too.
    clock.advance(timedelta(days=4, hours=1))
    assert await pass_on_free_seats(repo, now=clock.now()) == 1
    assert await pass_on_free_seats(repo, now=clock.now()) == 0  # once
    (offer,) = await outbox_rows(repo, "event.seat_offer")
    assert offer.recipient_id == sam.id
    shown = await render(repo, offer, settings, clock.now(), "nl")
    assert shown is not None and shown.text.startswith("🪑 Er is een plek vrij bij")
    answer, _told = await _tap(feed, bot_api, sam, _event(EventAction.TAKE, event_id))
    assert answer == "De plek is van jou! Tot dan."
    assert await registration_of(repo, event_id, sam.id) == ("confirmed", None, False)
    assert (await _tap(feed, bot_api, dirk, _event(EventAction.JOIN, event_id)))[0] == (
        "Je bent aangemeld! Tot dan."
    )


async def test_the_record_is_used_only_for_popular_tables_and_forgiving_ends_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    sam = make_user(first_name="Sam", language_code="en")
    await _missed_tables(repo, clock, sam, 3)
    quiet = (await make_event(repo, clock, capacity=10)).id
    answer, _told = await _tap(feed, bot_api, sam, _event(EventAction.JOIN, quiet))
    assert answer == "You're signed up! See you there."

    popular = (await make_event(repo, clock, capacity=2, title="Druk")).id
    await _tap(feed, bot_api, make_user(language_code="nl"), _event(EventAction.JOIN, popular))
    await add_user(repo, COORDINATOR_ID, role="coordinator", now=clock.now())
    await reliability.forgive(repo, actor_id=COORDINATOR_ID, target=sam.id, now=clock.now())
    answer, _told = await _tap(feed, bot_api, sam, _event(EventAction.JOIN, popular))
    assert answer == "You're signed up! See you there."


async def test_an_offer_nobody_takes_goes_on_to_the_flexible_waitlist(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (
        await make_event(repo, clock, capacity=1, starts_at=clock.now() + timedelta(hours=30))
    ).id
    anna, bert, wim = (make_user(first_name=n, language_code="nl") for n in ("Anna", "Bert", "Wim"))
    await _tap(feed, bot_api, anna, _event(EventAction.JOIN, event_id))
    await _tap(feed, bot_api, bert, _event(EventAction.JOIN, event_id))  # waits
    await _tap(feed, bot_api, wim, WishCallback(action=WishAction.ADD, id=event_id).pack())

    await _tap(feed, bot_api, anna, _event(EventAction.LEAVE_CONFIRMED, event_id))
    assert [row.recipient_id for row in await outbox_rows(repo, "event.seat_offer")] == [bert.id]
    # The waitlist has two hours to say yes.
    clock.advance(OFFER_TIMEOUT - timedelta(minutes=1))
    assert await pass_on_free_seats(repo, now=clock.now()) == 0
    assert await outbox_rows(repo, "event.wish_offer") == []
    clock.advance(timedelta(minutes=2))
    assert await pass_on_free_seats(repo, now=clock.now()) == 1
    assert [row.recipient_id for row in await outbox_rows(repo, "event.wish_offer")] == [wim.id]
    assert await pass_on_free_seats(repo, now=clock.now()) == 0  # one round per two hours
    answer, _told = await _tap(feed, bot_api, wim, _event(EventAction.JOIN, event_id))
    assert answer == "Je bent aangemeld! Tot dan."
    assert await pass_on_free_seats(repo, now=clock.now()) == 0  # nothing left to pass on
