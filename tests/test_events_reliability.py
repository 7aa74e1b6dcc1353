"""A fair reliability record instead of bans: late cancellations and no-shows of the last 12
months in /mijnstatus, a friendly word after the second late cancellation, decay after a year,
and a coordinator who can set it to zero (audited, the person told)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.services.events.admin import mark_attendance
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows, render
from tests.coordination_support import audit_trail
from tests.event_helpers import make_event
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI

CLEAN = (
    "📋 <b>Je telling van de laatste 12 maanden</b>\n\n"
    "• 0 late afmeldingen\n"
    "• 0 keer niet gekomen zonder afmelden\n\n"
    "Alles in orde: dank je wel dat je je op tijd afmeldt! 👍\n\n"
    "Niemand wordt door deze telling ooit geweerd."
)


async def _status(feed: Feeder, bot_api: MockedBotAPI, who: Any, command: str) -> str:
    await feed(message_update(who, command))
    return bot_api.take(SendMessage).text or ""


async def _late_cancellation(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, who: Any, days: int
) -> list[str]:
    """Sign up for an event in `days` days and cancel after its cut-off; what the bot sent."""
    start = clock.now() + timedelta(days=days)
    event_id = (
        await make_event(
            repo, clock, starts_at=start, cancellation_cutoff=clock.now() + timedelta(minutes=5)
        )
    ).id
    await feed(
        callback_update(who, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
    )
    bot_api.take_all()
    clock.advance(timedelta(minutes=10))
    leave = EventCallback(action=EventAction.LEAVE_CONFIRMED, event_id=event_id).pack()
    await feed(callback_update(who, leave))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageText)
    return [call.text or "" for call in bot_api.take_all() if isinstance(call, SendMessage)]


async def test_the_record_counts_late_cancellations_and_no_shows_and_decays(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    assert await _status(feed, bot_api, anna, "/mijnstatus") == CLEAN

    assert await _late_cancellation(feed, bot_api, repo, clock, anna, days=5) == []
    second = await _late_cancellation(feed, bot_api, repo, clock, anna, days=6)
    assert second == [
        "🙂 Dit is je tweede late afmelding dit jaar. Dat gebeurt iedereen wel eens! Lukt het "
        "om je de volgende keer wat eerder af te melden? Dan kan iemand van de wachtlijst je "
        "plek nog krijgen. Je telling zie je met /mijnstatus."
    ]
    assert await _late_cancellation(feed, bot_api, repo, clock, anna, days=7) == []  # once

    # A no-show: marked absent after a table.
    event = await make_event(repo, clock, starts_at=clock.now() + timedelta(days=1))
    event_id = event.id
    await feed(
        callback_update(anna, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
    )
    bot_api.take_all()
    registration = await repo.registrations.of(event_id, anna.id)
    assert registration is not None
    registration_id = registration.id
    await repo.session.commit()
    clock.advance(timedelta(days=2))
    await mark_attendance(repo, registration_id, False, actor_id=None, now=clock.now())

    assert await _status(feed, bot_api, anna, "/mijnstatus") == (
        "📋 <b>Je telling van de laatste 12 maanden</b>\n\n"
        "• 3 late afmeldingen\n"
        "• 1 keer niet gekomen zonder afmelden\n\n"
        "Zo maak je het beter: meld je zo vroeg mogelijk af als je niet kunt, met ❌ Afmelden "
        "op de kaart van de activiteit of Nee op “Kom je nog?”. Dan krijgt iemand van de "
        "wachtlijst je plek. Na 12 maanden telt elke keer niet meer mee.\n\n"
        "Niemand wordt door deze telling ooit geweerd."
    )
    # A year later none of it counts any more.
    clock.advance(timedelta(days=366))
    assert await _status(feed, bot_api, anna, "/mijnstatus") == CLEAN


async def test_a_coordinator_sets_the_record_to_zero_and_the_person_is_told(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    emma = make_user(first_name="Emma", username="emma_u", language_code="en")
    await _late_cancellation(feed, bot_api, repo, clock, emma, days=5)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")

    assert await _status(feed, bot_api, kees, "/vergeef") == (
        "Gebruik: /vergeef met een Telegram-nummer of @gebruikersnaam, bijvoorbeeld /vergeef @anna"
    )
    assert await _status(feed, bot_api, kees, "/vergeef @niemand") == (
        "Ik ken @niemand niet. Gebruik de @gebruikersnaam of het Telegram-nummer; die persoon "
        "moet de bot één keer gestart hebben."
    )
    assert await _status(feed, bot_api, kees, "/vergeef @emma_u") == (
        "📋 De telling van Emma staat weer op nul (was: 1 late afmelding, 0 keer niet gekomen "
        "zonder afmelden). Emma heeft bericht gekregen."
    )
    assert (await audit_trail(repo))[-1] == (COORDINATOR_ID, "record.forgive", f"user:{emma.id}")
    (told,) = await outbox_rows(repo, "record.forgiven")
    shown = await render(repo, told, settings, clock.now(), "en")
    assert shown is not None and shown.text == (
        "📋 A coordinator set your record of late cancellations and no-shows to zero. "
        "Good to have you with us! See it with /mystatus."
    )
    status = await _status(feed, bot_api, emma, "/mystatus")
    assert status.startswith(
        "📋 <b>Your record of the last 12 months</b>\n\n"
        "• 0 late cancellations\n• 0 times not come without cancelling\n\n"
        "All fine: thank you for cancelling in time! 👍\n"
        "A coordinator set your record to zero on Mon 2 Mar."
    )
    # Residents can't forgive.
    assert await _status(feed, bot_api, emma, "/forgive @emma_u") == (
        "Sorry, only coordinators can do this."
    )
