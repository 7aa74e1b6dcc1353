"""Signing up and cancelling through the real Dispatcher: seats, waitlist, promotion, deadline,
cut-off, prerequisites and "Kom je nog?", in Dutch and English, with the outbox rows they leave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)

from bot.clock import FakeClock
from bot.keyboards.callbacks import EventAction, EventCallback, ReconfirmCallback
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import make_event, outbox_rows, registration_of
from tests.factories import callback_update, make_user
from tests.mocked_bot import MockedBotAPI, button_rows

START = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)  # di 10 mrt, 19:30 in Amsterdam

CARD_NL_SIGNED_UP = (
    "🗣 <b>Samen aan tafel</b>\n"
    "Dialoogtafel · Eenzaamheid\n\n"
    "📅 di 10 mrt, 19:30–21:30\n"
    "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
    "✅ nog 9 plekken\n"
    "🧑‍🏫 begeleider: nog niet bevestigd\n\n"
    "✅ Je bent aangemeld."
)


def join(event_id: int) -> str:
    return EventCallback(action=EventAction.JOIN, event_id=event_id).pack()


def leave(event_id: int) -> str:
    return EventCallback(action=EventAction.LEAVE_CONFIRMED, event_id=event_id).pack()


async def test_sign_up_gives_a_seat_and_schedules_reminders_and_reconfirmation(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(first_name="Anna", language_code="nl")

    await feed(callback_update(anna, join(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == "Je bent aangemeld! Tot dan."
    card = bot_api.take(EditMessageText)
    assert card.text == CARD_NL_SIGNED_UP
    assert button_rows(card.reply_markup) == [
        ["❌ Afmelden"],
        ["📆 In mijn agenda zetten"],
        ["👥 Aantal personen wijzigen"],
        ["◀ Alle activiteiten", "📤 Delen"],
    ]
    question = bot_api.take(SendMessage)  # optional, and only counted
    assert question.text == (
        "🙋 Nog twee korte vragen, als je wilt. Zo zien we of er echt verschillende mensen aan "
        "tafel zitten. We tellen alleen: niemand ziet jouw antwoord.\n\nHoe oud ben je?"
    )
    assert button_rows(question.reply_markup) == [
        ["8–12", "13–17", "18–30", "31–65", "65+"],
        ["Overslaan"],
    ]
    assert await registration_of(repo, event_id, anna.id) == ("confirmed", None, False)
    assert await outbox_rows(repo, anna.id) == [
        ("event.reconfirm", "pending", START - timedelta(hours=48)),
        ("event.reminder", "pending", START - timedelta(hours=24)),
        ("event.reminder", "pending", START - timedelta(hours=2)),
    ]


async def test_sign_up_speaks_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=3)).id
    emma = make_user(first_name="Emma", language_code="en")

    await feed(callback_update(emma, join(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == "You're signed up! See you there."
    card = bot_api.take(EditMessageText)
    assert card.text == (
        "🗣 <b>Samen aan tafel</b>\n"
        "Dialogue table · Loneliness\n\n"
        "📅 Tue 10 Mar, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
        "✅ 2 seats left\n"
        "🧑‍🏫 facilitator: not yet confirmed\n\n"
        "✅ You are signed up."
    )
    assert button_rows(card.reply_markup) == [
        ["❌ Cancel my seat"],
        ["📆 Add to my calendar"],
        ["👥 Change the number of people"],
        ["◀ All events", "📤 Share"],
    ]
    assert bot_api.take(SendMessage).text == (
        "🙋 Two short questions, if you like. They show us whether really different people "
        "meet at the table. We only count: nobody sees your answer.\n\nHow old are you?"
    )


async def test_signing_up_twice_is_harmless(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageText)
    bot_api.take(SendMessage)  # the two optional questions: asked once

    await feed(callback_update(anna, join(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == "Je was al aangemeld."
    assert bot_api.take(EditMessageText).text == CARD_NL_SIGNED_UP
    assert len(await outbox_rows(repo, anna.id)) == 3
    assert (await repo.registrations.seats_taken(event_id)) == 1


async def test_full_table_puts_user_on_waitlist_with_position_and_suggestions(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    later = START + timedelta(days=7)
    await make_event(repo, clock, title="Tafel in Zeist", municipality="Zeist", starts_at=later)
    await make_event(repo, clock, title="Ander thema", theme="wonen", starts_at=later)
    await make_event(repo, clock, title="Training", kind="training", level="basis")
    anna, emma = make_user(language_code="nl"), make_user(first_name="Emma", language_code="en")
    await feed(callback_update(anna, join(event_id)))
    bot_api.take_all()

    await feed(callback_update(emma, join(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == (
        "Full is full: you are number 1 on the waitlist."
    )
    card = bot_api.take(EditMessageText)
    assert "⛔ full — waitlist: 1" in (card.text or "")
    assert (card.text or "").endswith("⏳ You are on the waitlist: number 1.")
    assert button_rows(card.reply_markup) == [
        ["❌ Leave the waitlist"],
        ["◀ All events", "📤 Share"],
    ]
    waitlisted = bot_api.take(SendMessage)
    assert waitlisted.text == (
        "⏳ You are number 1 on the waitlist for <b>Samen aan tafel</b>. As soon as a seat "
        "frees up, it's yours and I'll let you know.\n\nThese still have seats:"
    )
    assert button_rows(waitlisted.reply_markup) == [["🗣 Tafel in Zeist"]]
    assert (bot_api.take(SendMessage).text or "").endswith("How old are you?")
    assert await registration_of(repo, event_id, emma.id) == ("waitlisted", 1, False)
    assert await outbox_rows(repo, emma.id) == []


async def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    anna, bert, carla = (make_user(language_code="nl") for _ in range(3))
    for person in (anna, bert, carla):
        await feed(callback_update(person, join(event_id)))
    bot_api.take_all()

    await feed(callback_update(anna, leave(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == (
        "Je bent afgemeld. Dank je wel dat je het laat weten!"
    )
    card = bot_api.take(EditMessageText)
    assert "⛔ vol — wachtlijst: 1" in (card.text or "")
    assert button_rows(card.reply_markup) == [
        ["⏳ Zet me op de wachtlijst"],
        ["🔔 Elke dialoogtafel in Utrecht in die week"],
        ["◀ Alle activiteiten", "📤 Delen"],
    ]
    assert await registration_of(repo, event_id, anna.id) == ("cancelled", None, False)
    assert await registration_of(repo, event_id, bert.id) == ("confirmed", None, False)
    assert await registration_of(repo, event_id, carla.id) == ("waitlisted", 1, False)
    assert [row[:2] for row in await outbox_rows(repo, anna.id)] == [
        ("event.reconfirm", "cancelled"),
        ("event.reminder", "cancelled"),
        ("event.reminder", "cancelled"),
    ]
    assert await outbox_rows(repo, bert.id) == [
        ("event.promoted", "pending", clock.now()),
        ("event.reconfirm", "pending", START - timedelta(hours=48)),
        ("event.reminder", "pending", START - timedelta(hours=24)),
        ("event.reminder", "pending", START - timedelta(hours=2)),
    ]

    # Bert's message has "Ik kan toch niet": one tap gives the seat to Carla.
    await feed(callback_update(bert, leave(event_id)))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageText)
    assert await registration_of(repo, event_id, carla.id) == ("confirmed", None, False)
    assert (await outbox_rows(repo, bert.id))[0][:2] == ("event.promoted", "cancelled")


async def test_leaving_the_waitlist_closes_the_gap(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    people = [make_user(language_code="en") for _ in range(4)]
    for person in people:
        await feed(callback_update(person, join(event_id)))
    bot_api.take_all()

    await feed(callback_update(people[1], leave(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == "You are off the waitlist."
    bot_api.take(EditMessageText)
    assert await registration_of(repo, event_id, people[2].id) == ("waitlisted", 1, False)
    assert await registration_of(repo, event_id, people[3].id) == ("waitlisted", 2, False)
    assert await registration_of(repo, event_id, people[0].id) == ("confirmed", None, False)


async def test_sign_up_after_the_deadline_is_refused(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    deadline = clock.now() + timedelta(days=1)
    event_id = (await make_event(repo, clock, registration_deadline=deadline)).id
    clock.advance(timedelta(days=2))
    anna, emma = make_user(language_code="nl"), make_user(language_code="en")

    await feed(callback_update(anna, join(event_id)))
    await feed(callback_update(emma, join(event_id)))

    dutch, english = bot_api.take(AnswerCallbackQuery), bot_api.take(AnswerCallbackQuery)
    assert dutch.text == "Aanmelden kan niet meer: de aanmeldtermijn is voorbij."
    assert dutch.show_alert
    assert english.text == "Signing up has closed: the deadline has passed."
    assert await repo.registrations.seats_taken(event_id) == 0


async def test_cancelling_after_the_cutoff_works_but_is_recorded_as_late(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    cutoff = START - timedelta(hours=24)
    event_id = (await make_event(repo, clock, cancellation_cutoff=cutoff)).id
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    bot_api.take_all()
    clock.set(cutoff + timedelta(hours=1))

    await feed(callback_update(anna, leave(event_id)))

    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == (
        "Je bent afgemeld. Het is kort van tevoren, dus we noteren het als late afmelding."
    )
    assert answer.show_alert
    bot_api.take(EditMessageText)
    assert await registration_of(repo, event_id, anna.id) == ("cancelled", None, True)


async def test_spannend_training_asks_for_basis_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (
        await make_event(repo, clock, kind="training", level="spannend", title="Spannend")
    ).id
    anna, emma = make_user(language_code="nl"), make_user(language_code="en")

    await feed(callback_update(anna, join(event_id)))
    await feed(callback_update(emma, join(event_id)))

    assert bot_api.take(AnswerCallbackQuery).text == (
        "Deze training bouwt voort op de training Basis. Doe die eerst."
    )
    assert bot_api.take(AnswerCallbackQuery).text == (
        "This training builds on training Basis. Please do that one first."
    )
    assert await repo.registrations.seats_taken(event_id) == 0

    async with repo.write():
        await repo.events.grant_certificate(anna.id, "basis", event_id, clock.now())
    await feed(callback_update(anna, join(event_id)))
    assert bot_api.take(AnswerCallbackQuery).text == "Je bent aangemeld! Tot dan."
    bot_api.take(EditMessageText)


async def test_saying_no_to_kom_je_nog_offers_the_seat_to_the_waitlist(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    await feed(callback_update(bert, join(event_id)))
    bot_api.take_all()
    registration = await repo.registrations.of(event_id, anna.id)
    assert registration is not None
    registration_id = registration.id
    await repo.session.commit()
    clock.set(START - timedelta(hours=47))

    no = ReconfirmCallback(registration_id=registration_id, coming=False, sure=True).pack()
    await feed(callback_update(anna, no))

    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "Dank je wel dat je het laat weten. Je plek gaat nu naar iemand op de wachtlijst."
    )
    assert await registration_of(repo, event_id, anna.id) == ("cancelled", None, False)
    # Within 48 hours of the start the seat is offered to everyone waiting (first yes wins).
    assert await registration_of(repo, event_id, bert.id) == ("waitlisted", 1, False)
    kinds = [row[:2] for row in await outbox_rows(repo, bert.id)]
    assert kinds == [("event.seat_offer", "pending")]


async def test_saying_yes_to_kom_je_nog_keeps_the_seat(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    emma = make_user(language_code="en")
    await feed(callback_update(emma, join(event_id)))
    bot_api.take_all()
    registration = await repo.registrations.of(event_id, emma.id)
    assert registration is not None
    yes = ReconfirmCallback(registration_id=registration.id, coming=True).pack()
    await repo.session.commit()

    await feed(callback_update(emma, yes))

    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Great, see you there! 👋"
    stored = await repo.registrations.of(event_id, emma.id)
    assert stored is not None and stored.status == "confirmed" and stored.reconfirmed_at


async def test_someone_else_cannot_answer_kom_je_nog_for_you(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna, mallory = make_user(language_code="nl"), make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    bot_api.take_all()
    registration = await repo.registrations.of(event_id, anna.id)
    assert registration is not None
    forged = ReconfirmCallback(registration_id=registration.id, coming=False, sure=True).pack()
    await repo.session.commit()

    await feed(callback_update(mallory, forged))

    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "Deze aanmelding geldt niet meer." and answer.show_alert
    assert await registration_of(repo, event_id, anna.id) == ("confirmed", None, False)


async def test_signing_up_again_after_cancelling_gets_fresh_reminders(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    for data in (join(event_id), leave(event_id), join(event_id)):  # all in the same second
        await feed(callback_update(anna, data))
    bot_api.take_all()

    rows = await outbox_rows(repo, anna.id)
    assert [row[0] for row in rows if row[1] == "pending"] == [
        "event.reconfirm",
        "event.reminder",
        "event.reminder",
    ]
    assert len([row for row in rows if row[1] == "cancelled"]) == 3
    assert await registration_of(repo, event_id, anna.id) == ("confirmed", None, False)


async def test_a_seat_is_given_away_only_after_one_more_tap(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    bot_api.calls.clear()

    first_tap = EventCallback(action=EventAction.LEAVE, event_id=event_id).pack()
    await feed(callback_update(anna, first_tap))
    asked = bot_api.take(AnswerCallbackQuery)
    assert asked.text == "Weet je het zeker? Tik op “Ja, afmelden” om door te gaan."
    confirm_row = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert button_rows(confirm_row)[-1] == ["Ja, afmelden", "Nee, toch niet"]
    assert (await registration_of(repo, event_id, anna.id))[0] == "confirmed"
    await repo.session.commit()

    await feed(callback_update(anna, leave(event_id)))
    bot_api.calls.clear()
    assert (await registration_of(repo, event_id, anna.id))[0] == "cancelled"


async def test_a_reminder_that_would_fall_in_the_night_comes_the_evening_before(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.quiet_hours import PROVINCE_TIME

    morning = datetime(2026, 3, 12, 8, 30, tzinfo=UTC)  # 09:30 in Utrecht
    event_id = (
        await make_event(repo, clock, starts_at=morning, ends_at=morning + timedelta(hours=2))
    ).id
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, join(event_id)))
    bot_api.calls.clear()
    reminders = sorted(
        due.astimezone(PROVINCE_TIME).strftime("%a %H:%M")
        for kind, _status, due in await outbox_rows(repo, anna.id)
        if kind == "event.reminder"
    )
    # The day before at 09:30, and the two-hour one (07:30, in the quiet hours) at 21:59.
    assert reminders == ["Wed 09:30", "Wed 21:59"]
