"""Coordinators through the real Dispatcher: create an event step by step, change its time
(registrants told, reminders moved), call it off (everyone told), participants, attendance and
certificates, link and QR code; and nobody else can."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendMessage,
    SendPhoto,
)
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import (
    AttendanceCallback,
    EventAction,
    EventAdminAction,
    EventAdminCallback,
    EventCallback,
    EventFormCallback,
)
from storage.models import Event, OutboxMessage
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import audit_trail
from tests.event_helpers import START_DEFAULT, make_event, outbox_rows, registration_of
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


def kees() -> Any:
    return make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")


async def _say(feed: Feeder, bot_api: MockedBotAPI, who: Any, text: str) -> SendMessage:
    await feed(message_update(who, text))
    return bot_api.take(SendMessage)


async def _tap(feed: Feeder, bot_api: MockedBotAPI, who: Any, data: str) -> None:
    await feed(callback_update(who, data))
    bot_api.take(AnswerCallbackQuery)


async def test_coordinator_creates_a_table_step_by_step_and_publishes_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    coordinator = kees()
    reply = await _say(feed, bot_api, coordinator, "/nieuwetafel")
    assert reply.text == (
        "We maken een nieuwe activiteit. Je kunt altijd stoppen met /stop.\n\nWat is de titel?"
    )
    assert (await _say(feed, bot_api, coordinator, "Ja")).text == (
        "Een titel heeft 3 tot 200 tekens. Typ hem nog een keer."
    )
    assert (await _say(feed, bot_api, coordinator, "Samen over wonen")).text == (
        "Wanneer is het? Typ de datum en tijden, bijvoorbeeld: <code>10-3 19:30-21:30</code>"
    )
    assert (await _say(feed, bot_api, coordinator, "morgen")).text == (
        "Dat kan ik niet lezen. Typ de dag en de tijden, bijvoorbeeld: "
        "<code>10-3 19:30-21:30</code>, <code>do 10 december 19:30-21:30</code> of "
        "<code>morgen 19:30</code>."
    )
    assert (await _say(feed, bot_api, coordinator, "10-3 19:30-18:00")).text == (
        "Het einde (18:00) ligt voor het begin (19:30). Typ de tijden opnieuw, bijvoorbeeld "
        "<code>19:30-21:30</code>."
    )
    assert (await _say(feed, bot_api, coordinator, "ma 10 maart 19:30-21:30")).text == (
        "10 maart is een dinsdag. Welke dag bedoel je?"
    )
    assert (await _say(feed, bot_api, coordinator, "1-3-2026 19:30-21:30")).text == (
        "Dat moment is al voorbij. Geef een datum in de toekomst."
    )
    await _say(feed, bot_api, coordinator, "10-3 19:30-21:30")
    assert (await _say(feed, bot_api, coordinator, "Buurthuis, Narnia")).text == (
        "Die gemeente ken ik niet in de provincie Utrecht. "
        "Typ de plek nog een keer, met de gemeente als laatste."
    )
    assert (await _say(feed, bot_api, coordinator, "De Pijler, Oudegracht 1, utreg")).text == (
        "Hoeveel plekken zijn er? Typ een getal."
    )
    assert (await _say(feed, bot_api, coordinator, "nul")).text == (
        "Typ een heel getal van 1 tot 1000."
    )
    themes = await _say(feed, bot_api, coordinator, "12")
    assert themes.text == "Welk thema?"
    assert button_rows(themes.reply_markup)[0] == ["Geen thema", "Eenzaamheid"]
    await feed(callback_update(coordinator, EventFormCallback(field="theme", value="wonen").pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Een korte beschrijving? Typ die, of <code>-</code> om over te slaan."
    )
    preview = await _say(feed, bot_api, coordinator, "-")
    assert preview.text == (
        "Zo komt het eruit te zien:\n\n"
        "🗣 <b>Samen over wonen</b>\n"
        "Dialoogtafel · Wonen\n\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 De Pijler, Oudegracht 1, Utrecht\n"
        "✅ nog 12 plekken\n"
        "🧑‍🏫 begeleider: nog niet bevestigd"
    )
    assert button_rows(preview.reply_markup) == [["✅ Publiceren", "✖ Stoppen"]]

    await feed(callback_update(coordinator, EventFormCallback(field="publish", value="yes").pack()))

    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Gepubliceerd! Bewoners kunnen zich nu aanmelden."
    bot_api.take(GetMe)
    card = bot_api.take(SendMessage)
    stored = (await repo.session.execute(select(Event))).scalars().one()
    assert (stored.title, stored.status, stored.capacity, stored.theme) == (
        "Samen over wonen",
        "published",
        12,
        "wonen",
    )
    assert stored.starts_at == START_DEFAULT
    assert (card.text or "").endswith(
        f"Nummer van de activiteit: {stored.id}\n"
        f"🔗 https://t.me/samenspel_test_bot?start=e_{stored.id}"
    )
    assert button_rows(card.reply_markup) == [
        ["🔳 QR-code", "👥 Deelnemers"],
        ["✏️ Wijzigen", "❌ Afgelasten"],
        ["🧑‍🏫 Begeleiders"],
    ]
    created = f"event:{stored.id}"
    assert await audit_trail(repo) == [(coordinator.id, "event.create", created)]


async def test_training_asks_level_and_contribution_and_stop_saves_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    coordinator = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await _say(feed, bot_api, coordinator, "/nieuwetraining")
    levels = await _say(feed, bot_api, coordinator, "Basistraining dialoog")
    assert levels.text == "Which level?"
    assert button_rows(levels.reply_markup) == [["Basis", "Kinder", "Spannend"]]
    await _tap(feed, bot_api, coordinator, EventFormCallback(field="level", value="basis").pack())
    assert bot_api.calls.popleft()  # the date question
    assert (await _say(feed, bot_api, coordinator, "/stop")).text == "Stopped. Nothing was saved."
    assert (await repo.session.execute(select(Event))).scalars().first() is None


async def test_residents_cannot_use_coordinator_commands_or_buttons(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    assert (await _say(feed, bot_api, anna, "/nieuwetafel")).text == (
        "Sorry, dit kunnen alleen coördinatoren doen."
    )
    await feed(
        callback_update(
            anna, EventAdminCallback(action=EventAdminAction.CANCEL_YES, event_id=event_id).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Sorry, dit kunnen alleen coördinatoren doen."
    assert (await repo.events.get(event_id)).status == "published"  # type: ignore[union-attr]


async def test_changing_the_time_tells_registrants_and_moves_their_reminders(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="en")
    for person in (anna, bert):
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    coordinator = kees()

    choice = await _say(feed, bot_api, coordinator, f"/wijzig {event_id}")
    assert button_rows(choice.reply_markup) == [
        ["📅 Tijd", "📍 Plek", "🪑 Plekken"],
        ["✏️ Titel", "📝 Beschrijving", "🏷 Thema"],
        ["⏳ Aanmelden kan tot", "🚪 Afmelden kan tot", "🔔 Herinneringen"],
        ["🧑‍🏫 Begeleiders", "👥 Per aanmelding", "🔒 Vrijhouden"],
        ["🎓 Niveau nodig"],
    ]
    await _tap(
        feed, bot_api, coordinator, EventFormCallback(field="edit", value=f"time-{event_id}").pack()
    )
    assert bot_api.take(SendMessage).text == (
        "Nu: di 10 mrt, 19:30–21:30.\n"
        "Nieuwe datum en tijden? Bijvoorbeeld: <code>10-3 19:30-21:30</code>\n"
        "Of /stop om het te laten zoals het is."
    )
    preview = await _say(feed, bot_api, coordinator, "12-3 20:00-22:00")
    assert preview.text == (
        "Dit bericht krijgen ze:\n"
        "<blockquote>📣 Gewijzigd: <b>Samen aan tafel</b> heeft een nieuwe tijd of plek:\n"
        "📅 do 12 mrt, 20:00–22:00\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Je plek blijft van jou. Kun je nu niet? Meld je hieronder af.</blockquote>\n"
        "Het gaat naar 2 mensen die zich hebben aangemeld.\n"
        "1 van hen staat op de wachtlijst en leest dat dat zo blijft.\n\n"
        "Wijzigen en het bericht sturen?"
    )
    assert button_rows(preview.reply_markup) == [["✅ Ja, wijzig en stuur", "✖ Nee, laat maar"]]
    assert await outbox_rows(repo, bert.id) == []  # nothing changed before the yes
    await _tap(feed, bot_api, coordinator, EventFormCallback(field="editsend", value="yes").pack())
    reply = bot_api.take(SendMessage)
    assert reply.text == "Gewijzigd. 2 mensen krijgen bericht."
    bot_api.take(GetMe)
    assert "do 12 mrt, 20:00–22:00" in (bot_api.take(SendMessage).text or "")

    new_start = datetime(2026, 3, 12, 19, 0, tzinfo=UTC)
    anna_rows = await outbox_rows(repo, anna.id)
    assert [row for row in anna_rows if row[1] == "pending"] == [
        ("event.changed", "pending", clock.now()),
        ("event.reconfirm", "pending", new_start - timedelta(hours=48)),
        ("event.reminder", "pending", new_start - timedelta(hours=24)),
        ("event.reminder", "pending", new_start - timedelta(hours=2)),
    ]
    assert [row[:2] for row in anna_rows if row[1] == "cancelled"] == [
        ("event.reconfirm", "cancelled"),
        ("event.reminder", "cancelled"),
        ("event.reminder", "cancelled"),
    ]
    assert await outbox_rows(repo, bert.id) == [("event.changed", "pending", clock.now())]
    assert (await audit_trail(repo))[-1] == (coordinator.id, "event.change", f"event:{event_id}")


async def test_more_seats_go_to_the_waitlist_and_fewer_than_taken_is_refused(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    people = [make_user(language_code="nl") for _ in range(3)]
    for person in people:
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    coordinator = kees()
    seats = EventFormCallback(field="edit", value=f"seats-{event_id}").pack()

    await _tap(feed, bot_api, coordinator, seats)
    bot_api.take(SendMessage)
    reply = await _say(feed, bot_api, coordinator, "2")
    assert reply.text == "Gewijzigd. 1 persoon krijgt bericht."  # the one who moved up
    bot_api.take(GetMe)
    bot_api.take(SendMessage)
    assert await registration_of(repo, event_id, people[1].id) == ("confirmed", None, False)
    assert await registration_of(repo, event_id, people[2].id) == ("waitlisted", 1, False)

    await _tap(feed, bot_api, coordinator, seats)
    bot_api.take(SendMessage)
    assert (await _say(feed, bot_api, coordinator, "1")).text == (
        "Er zijn al 2 mensen aangemeld: minder plekken dan dat kan niet."
    )


async def test_calling_off_tells_everyone_and_withdraws_reminders(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, capacity=1)).id
    anna, bert = make_user(language_code="nl"), make_user(language_code="nl")
    for person in (anna, bert):
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    coordinator = kees()
    ask = await _say(feed, bot_api, coordinator, f"/afgelasten {event_id}")
    assert ask.text == (
        "Wil je deze activiteit echt afgelasten? Iedereen die zich heeft aangemeld krijgt "
        "bericht.\nWil je zeggen waarom? Typ nu de reden; die komt in het bericht."
    )
    assert button_rows(ask.reply_markup) == [["❌ Ja, afgelasten"], ["Nee, toch niet"]]
    with_reason = await _say(feed, bot_api, coordinator, "De zaal is onder water gelopen.")
    assert with_reason.text == (
        "Deze activiteit afgelasten met deze reden? Iedereen die zich heeft aangemeld krijgt "
        "bericht.\n<blockquote>De zaal is onder water gelopen.</blockquote>"
    )

    await _tap(
        feed,
        bot_api,
        coordinator,
        EventAdminCallback(action=EventAdminAction.CANCEL_YES, event_id=event_id).pack(),
    )

    assert (
        bot_api.take(EditMessageText).text == "De activiteit is afgelast. 2 mensen krijgen bericht."
    )
    assert [row for row in await outbox_rows(repo, anna.id) if row[1] == "pending"] == [
        ("event.cancelled", "pending", clock.now())
    ]
    assert await outbox_rows(repo, bert.id) == [("event.cancelled", "pending", clock.now())]
    told = (
        await repo.session.execute(
            select(OutboxMessage.params).where(
                OutboxMessage.kind == "event.cancelled", OutboxMessage.recipient_id == bert.id
            )
        )
    ).scalar_one()
    assert told["reason"] == "De zaal is onder water gelopen."
    await repo.session.commit()
    await feed(message_update(anna, "/agenda"))
    assert "Er staat niets gepland" in (bot_api.take(SendMessage).text or "")


async def test_participants_list_and_attendance_grants_the_certificate(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, kind="training", level="basis", capacity=1)).id
    anna = make_user(first_name="Anna", language_code="nl")
    bert = make_user(first_name="Bert", language_code="nl")
    for person in (anna, bert):
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    coordinator = kees()

    listing = await _say(feed, bot_api, coordinator, f"/deelnemers {event_id}")
    assert listing.text == (
        "👥 <b>Samen aan tafel</b>\n\nAangemeld (1 van 1):\n1. Anna\n\nWachtlijst (1):\n1. Bert"
    )
    assert button_rows(listing.reply_markup) == [["✅ Aanwezigheid invullen"]]
    registration = await repo.registrations.of(event_id, anna.id)
    assert registration is not None
    registration_id = registration.id
    present = AttendanceCallback(registration_id=registration_id, attended=True).pack()
    await repo.session.commit()

    await feed(callback_update(coordinator, present))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Je kunt de aanwezigheid invullen als de activiteit begonnen is."
    )

    clock.set(START_DEFAULT + timedelta(hours=3))
    await _tap(
        feed,
        bot_api,
        coordinator,
        EventAdminCallback(action=EventAdminAction.ATTENDANCE, event_id=event_id).pack(),
    )
    sheet = bot_api.take(SendMessage)
    assert button_rows(sheet.reply_markup) == [["⬜ 1. Anna"]]
    await feed(callback_update(coordinator, present))
    assert bot_api.take(AnswerCallbackQuery).text == "Certificaat toegekend."
    assert button_rows(bot_api.take(EditMessageReplyMarkup).reply_markup) == [["✅ 1. Anna"]]
    assert await repo.events.certificate_levels(anna.id) == {"basis"}
    assert await registration_of(repo, event_id, anna.id) == ("attended", None, False)

    # Marked present by mistake: absent takes back what "present" granted, and Anna is told.
    absent = AttendanceCallback(registration_id=registration_id, attended=False).pack()
    await feed(callback_update(coordinator, absent))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Opgeslagen. Het certificaat dat hierbij hoorde is ingetrokken; de persoon heeft "
        "bericht gekregen."
    )
    bot_api.take(EditMessageReplyMarkup)
    assert await repo.events.certificate_levels(anna.id) == set()
    told = (
        await repo.session.execute(
            select(OutboxMessage.params).where(
                OutboxMessage.kind == "certificate.revoked", OutboxMessage.recipient_id == anna.id
            )
        )
    ).scalar_one()
    assert told == {"level": "basis", "reason": "attendance"}
    await repo.session.commit()


async def test_qr_code_is_sent_as_a_picture_with_the_link(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id

    await _tap(
        feed,
        bot_api,
        kees(),
        EventAdminCallback(action=EventAdminAction.QR, event_id=event_id).pack(),
    )

    bot_api.take(GetMe)
    photo = bot_api.take(SendPhoto)
    assert photo.caption == (
        "Print deze QR-code: wie hem scant, ziet meteen de activiteit.\n"
        f"https://t.me/samenspel_test_bot?start=e_{event_id}"
    )
    assert photo.photo.data.startswith(b"\x89PNG")  # type: ignore[union-attr]


async def test_typing_where_a_button_is_expected_asks_for_the_button(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    coordinator = kees()
    await _say(feed, bot_api, coordinator, "/nieuwetraining")
    await _say(feed, bot_api, coordinator, "Training Kinder")

    assert (await _say(feed, bot_api, coordinator, "kinder")).text == (
        "Tik op een van de knoppen hierboven, of /stop."
    )


PAST_REFUSAL = {
    "nl": "Deze activiteit is al begonnen of voorbij. Die kun je niet meer wijzigen.",
    "en": "This event has already started or taken place, so it can't be changed any more.",
}


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_an_event_that_took_place_cannot_be_changed(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, language: str
) -> None:
    event_id = (await make_event(repo, clock)).id
    coordinator = make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)
    seats = EventFormCallback(field="edit", value=f"seats-{event_id}").pack()
    await _tap(feed, bot_api, coordinator, seats)  # a change begun before the event …
    bot_api.take(SendMessage)
    clock.set(START_DEFAULT + timedelta(hours=3))

    reply = await _say(feed, bot_api, coordinator, "30")  # … and finished after it
    assert reply.text == PAST_REFUSAL[language]
    reply = await _say(feed, bot_api, coordinator, f"/wijzig {event_id}")
    assert reply.text == PAST_REFUSAL[language]
    assert button_rows(reply.reply_markup) == [["☰ Menu"]]  # the path ends: the menu is next
    assert not bot_api.calls
    capacity = await repo.session.scalar(select(Event.capacity).where(Event.id == event_id))
    assert capacity == 10


async def test_no_on_the_call_off_question_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    coordinator = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    ask = await _say(feed, bot_api, coordinator, f"/calloff {event_id}")
    assert button_rows(ask.reply_markup) == [["❌ Yes, call it off"], ["No, it goes ahead"]]
    await _tap(
        feed, bot_api, coordinator,
        EventAdminCallback(action=EventAdminAction.CANCEL_NO, event_id=event_id).pack(),
    )  # fmt: skip
    assert bot_api.take(EditMessageText).text == "OK, the event goes ahead. Nothing has changed."
    status = await repo.session.scalar(select(Event.status).where(Event.id == event_id))
    assert status == "published"


async def test_the_title_and_description_can_be_changed(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock, title="Samen aan tafle")).id
    coordinator = kees()

    async def change(field: str) -> None:
        await _say(feed, bot_api, coordinator, f"/wijzig {event_id}")
        edit = EventFormCallback(field="edit", value=f"{field}-{event_id}").pack()
        await _tap(feed, bot_api, coordinator, edit)
        bot_api.take(SendMessage)

    await change("title")
    assert (await _say(feed, bot_api, coordinator, "x")).text == (
        "Een titel heeft 3 tot 200 tekens. Typ hem nog een keer."
    )
    assert (await _say(feed, bot_api, coordinator, "Samen aan tafel")).text == ("Gewijzigd.")
    bot_api.take_all()
    await change("description")
    await _say(feed, bot_api, coordinator, "Over buren en wonen.")
    bot_api.take_all()
    event = await repo.events.get(event_id)
    assert event is not None
    assert (event.title, event.description) == ("Samen aan tafel", "Over buren en wonen.")
