"""A coordinator changes every detail of an event through /wijzig: theme, sign-up deadline,
cancellation cut-off, reminders, facilitators needed and level; a new time or place first
shows the message and the number of people it goes to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.clock import FakeClock
from bot.keyboards.callbacks import EventAction, EventCallback, EventFormCallback
from storage.models import Event
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import START_DEFAULT, make_event, outbox_rows
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


def coordinator(language: str = "nl") -> Any:
    return make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)


class Editor:
    """The coordinator's side of /wijzig: choose a field, type or pick, read the answer."""

    def __init__(self, feed: Feeder, bot_api: MockedBotAPI, event_id: int, who: Any) -> None:
        self.feed, self.bot_api, self.event_id, self.who = feed, bot_api, event_id, who

    async def say(self, text: str) -> SendMessage:
        await self.feed(message_update(self.who, text))
        return self.bot_api.take(SendMessage)

    async def tap(self, field: str, value: str) -> None:
        await self.feed(
            callback_update(self.who, EventFormCallback(field=field, value=value).pack())
        )
        self.bot_api.take(AnswerCallbackQuery)

    async def choose(self, field: str) -> SendMessage:
        """/wijzig, then the field's button: the question."""
        await self.say(f"/wijzig {self.event_id}")
        await self.tap("edit", f"{field}-{self.event_id}")
        return self.bot_api.take(SendMessage)

    async def card(self) -> str:
        """The coordinator's card, shown after every change."""
        sent = [call for call in self.bot_api.take_all() if isinstance(call, SendMessage)]
        assert len(sent) == 1
        return sent[0].text or ""


async def _event(repo: Repo, event_id: int) -> Event:
    event = await repo.events.get(event_id)
    assert event is not None
    await repo.session.refresh(event)
    await repo.session.commit()
    return event


async def test_theme_deadline_cutoff_facilitators_and_level_can_be_changed(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    edit = Editor(feed, bot_api, event_id, coordinator())

    question = await edit.choose("theme")
    assert question.text == "Welk thema?"
    rows = button_rows(question.reply_markup)
    labels = [label for row in rows for label in row]
    assert labels[0] == "Geen thema" and "✓ Eenzaamheid" in labels
    await edit.tap("editpick", "wonen")
    assert edit.bot_api.take(SendMessage).text == "Gewijzigd."
    assert "🗣 <b>Samen aan tafel</b>\nDialoogtafel · Wonen" in await edit.card()

    question = await edit.choose("deadline")
    assert question.text == (
        "Nu: tot het begin.\nTot wanneer kan je je aanmelden? Typ een dag en tijd "
        "(<code>9-12 18:00</code>) of hoe lang voor het begin (<code>2 dagen</code>), of "
        "<code>-</code> voor tot het begin.\nOf /stop om het te laten zoals het is."
    )
    assert (await edit.say("11-3 12:00")).text == (
        "Dat is na het begin (di 10 mrt, 19:30). Kies een moment daarvoor, of <code>-</code> "
        "voor tot het begin."
    )
    assert (await edit.say("volgende week")).text.startswith("Dat kan ik niet lezen.")
    assert (await edit.say("2 dagen")).text == "Gewijzigd."
    assert "⏰ aanmelden kan tot zo 8 mrt, 19:30" in await edit.card()
    assert (await _event(repo, event_id)).registration_deadline == START_DEFAULT - timedelta(days=2)

    await edit.choose("cutoff")
    assert (await edit.say("9-3 12:00")).text == "Gewijzigd."
    assert "🚪 afmelden zonder aantekening tot ma 9 mrt, 12:00" in await edit.card()

    question = await edit.choose("facilitators")
    assert question.text.startswith("Nu: 1 nodig, 0 bevestigd.\nHoeveel begeleiders")
    assert (await edit.say("9")).text == "Typ een getal van 1 tot en met 5."
    assert (await edit.say("twee")).text == "Typ een heel getal, bijvoorbeeld <code>2</code>."
    assert (await edit.say("2")).text == "Gewijzigd."
    assert "🧑‍🏫 0 van 2 begeleiders bevestigd" in await edit.card()

    question = await edit.choose("level")
    assert question.text == "Welk certificaat heeft een begeleider van deze tafel nodig?"
    assert button_rows(question.reply_markup) == [["Basis", "Kinder"], ["Spannend"]]
    await edit.tap("editpick", "spannend")
    assert edit.bot_api.take(SendMessage).text == "Gewijzigd."
    await edit.card()

    event = await _event(repo, event_id)
    assert (event.theme, event.facilitators_needed, event.facilitator_level) == (
        "wonen",
        2,
        "spannend",
    )
    assert event.cancellation_cutoff == datetime(2026, 3, 9, 11, 0, tzinfo=UTC)
    # "-" takes a deadline away again.
    await edit.choose("deadline")
    assert (await edit.say("-")).text == "Gewijzigd."
    await edit.card()
    assert (await _event(repo, event_id)).registration_deadline is None


async def test_new_reminder_moments_are_rescheduled_without_a_message(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await feed(
        callback_update(anna, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
    )
    bot_api.take_all()
    edit = Editor(feed, bot_api, event_id, coordinator())

    question = await edit.choose("reminders")
    assert question.text.startswith("Nu: 1 dag en 2 uur voor het begin.\nWanneer gaan")
    assert (await edit.say("elke dag")).text.startswith("Dat kan ik niet lezen. Typ hoe lang")
    assert (await edit.say("1 dag en 3 uur")).text == "Gewijzigd."
    assert "🔔 Herinneringen: 1 dag en 3 uur voor het begin" in await edit.card()
    pending = [row for row in await outbox_rows(repo, anna.id) if row[1] == "pending"]
    assert pending == [
        ("event.reconfirm", "pending", START_DEFAULT - timedelta(hours=48)),
        ("event.reminder", "pending", START_DEFAULT - timedelta(hours=24)),
        ("event.reminder", "pending", START_DEFAULT - timedelta(hours=3)),
    ]  # the 24-hour reminder is kept, 2 hours became 3, and no "changed" message

    # Back to two hours: the reminder that was cancelled before is scheduled anew.
    await edit.choose("reminders")
    assert (await edit.say("24u, 2u")).text == "Gewijzigd."
    await edit.card()
    pending = [row for row in await outbox_rows(repo, anna.id) if row[1] == "pending"]
    assert [row[2] for row in pending] == [
        START_DEFAULT - timedelta(hours=48),
        START_DEFAULT - timedelta(hours=24),
        START_DEFAULT - timedelta(hours=2),
    ]
    await edit.choose("reminders")
    assert (await edit.say("geen")).text == "Gewijzigd."
    assert "🔔 Herinneringen: geen herinneringen" in await edit.card()
    kinds = [row[0] for row in await outbox_rows(repo, anna.id) if row[1] == "pending"]
    assert kinds == ["event.reconfirm"]


async def test_a_new_place_shows_the_message_first_and_no_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    people = [make_user(language_code="nl") for _ in range(3)]
    for person in people:
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    edit = Editor(feed, bot_api, event_id, coordinator("en"))

    question = await edit.choose("place")
    assert question.text == (
        "Now: Buurthuis De Pijler, Oudegracht 1, Utrecht.\n"
        "New place? For example: <code>Buurthuis De Pijler, Oudegracht 1, Utrecht</code>\n"
        "Or /stop to leave it as it is."
    )
    preview = await edit.say("Wijkcentrum Oost, Kanaalweg 8, Utrecht")
    assert preview.text == (
        "This is the message they will get:\n"
        "<blockquote>📣 Changed: <b>Samen aan tafel</b> now takes place here and then:\n"
        "📅 Tue 10 Mar, 19:30–21:30\n"
        "📍 Wijkcentrum Oost, Kanaalweg 8, Utrecht\n\n"
        "Your seat stays yours. Can't make it now? Cancel below.</blockquote>\n"
        "It goes to 3 people who signed up.\n\n"
        "Change it and send the message?"
    )
    assert button_rows(preview.reply_markup) == [["✅ Yes, change and send", "✖ No, leave it"]]
    assert (await edit.say("hmm")).text == "Please tap one of the buttons above, or /stop."
    await edit.tap("editsend", "no")
    assert bot_api.take(SendMessage).text == "OK, nothing has changed."
    assert (await _event(repo, event_id)).venue == "Buurthuis De Pijler"
    assert [row[0] for row in await outbox_rows(repo, people[0].id) if row[1] == "pending"] == [
        "event.reconfirm",
        "event.reminder",
        "event.reminder",
    ]
    # A stale [Yes] after the no changes nothing either.
    await edit.tap("editsend", "yes")
    assert (await _event(repo, event_id)).venue == "Buurthuis De Pijler"


async def test_a_change_nobody_hears_about_needs_no_preview(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    edit = Editor(feed, bot_api, event_id, coordinator())
    await edit.choose("time")
    assert (await edit.say("do 12 maart 20:00-22:00")).text == "Gewijzigd."
    assert "📅 do 12 mrt, 20:00–22:00" in await edit.card()


async def test_a_training_changes_the_certificate_it_gives_and_a_meetup_has_no_level(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    training = (await make_event(repo, clock, kind="training", level="basis", theme=None)).id
    edit = Editor(feed, bot_api, training, coordinator("en"))
    question = await edit.choose("level")
    assert question.text == "Which certificate does this training give?"
    assert button_rows(question.reply_markup) == [["✓ Basis", "Kinder"], ["Spannend"]]
    await edit.tap("editpick", "kinder")
    assert bot_api.take(SendMessage).text == "Changed."
    assert "🎓 <b>Samen aan tafel</b>\nTraining Kinder" in await edit.card()

    meetup = (await make_event(repo, clock, kind="meetup")).id
    choice = await Editor(feed, bot_api, meetup, coordinator("en")).say(f"/wijzig {meetup}")
    assert button_rows(choice.reply_markup) == [
        ["📅 Time", "📍 Place", "🪑 Seats"],
        ["✏️ Title", "📝 Description", "🏷 Theme"],
        ["⏳ Sign-up until", "🚪 Cancel until", "🔔 Reminders"],
        ["🧑‍🏫 Facilitators", "👥 Per sign-up"],
    ]
