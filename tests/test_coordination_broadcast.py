"""/bericht end to end: compose with formatting and a button, choose a combined audience, a
preview exactly as recipients see it with the count, an idempotent confirm, delivery through
the outbox, the live progress message and the final report; /stop and /start."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import InlineKeyboardMarkup, MessageEntity
from sqlalchemy import select, update

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import BroadcastAction, BroadcastCallback, BroadcastComposeCallback
from bot.services.coordination import broadcast_progress, broadcasts
from scheduler.broadcasts import run_broadcast_progress
from scheduler.context import JobContext
from storage.engine import SessionPool
from storage.models import AuditEntry, BroadcastStatus, OutboxMessage, OutboxStatus
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import add_event, add_initiative, add_user, outbox_of, register
from tests.delivery_helpers import make_sender
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

ANNA, BOB, CHRIS, DEWI = 3001, 3002, 3003, 3004


def _error(kind: type[Exception], message: str) -> Exception:
    return kind(method=SendMessage(chat_id=1, text="x"), message=message)  # type: ignore[call-arg]


def _compose(step: str, value: str = "") -> str:
    return BroadcastComposeCallback(step=step, value=value).pack()


async def _network(repo: Repo) -> int:
    """Anna and Bob run an initiative; Chris and Dewi sit at a table; Eva (opted out) too."""
    for user_id in (ANNA, BOB, CHRIS, DEWI):
        await add_user(repo, user_id)
    await add_user(repo, 3005, stopped=True)
    await add_initiative(repo, [ANNA, BOB])
    table = await add_event(repo)
    for user_id in (CHRIS, DEWI, 3005, ANNA):
        await register(repo, table.id, user_id)
    return table.id


async def _compose_and_preview(
    feed: Feeder, bot_api: MockedBotAPI, coordinator: Any, event_id: int
) -> int:
    """Dutch composition up to the preview; returns the draft's id."""
    await feed(message_update(coordinator, "/bericht"))
    assert bot_api.take(SendMessage).text == (
        "✍️ Schrijf het bericht. Vet, cursief en links blijven precies zoals je ze typt.\n\n"
        "Je kunt altijd stoppen met /stop."
    )
    bold = MessageEntity(type="bold", offset=12, length=11)
    await feed(message_update(coordinator, "Kom naar de buurtborrel & praat mee!", entities=[bold]))
    question = bot_api.take(SendMessage)
    assert question.text == "Wil je een knop onder het bericht?"
    assert button_rows(question.reply_markup) == [
        ["🔗 Een link", "📅 Een activiteit"],
        ["Geen knop"],
    ]

    await feed(callback_update(coordinator, _compose("button", "link")))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith("Typ de tekst van de knop en de link")
    await feed(message_update(coordinator, "Meld je aan | ftp://nee"))
    assert bot_api.take(SendMessage).text.startswith("Dat kan ik niet gebruiken.")
    await feed(message_update(coordinator, "Meld je aan | https://example.org/borrel"))
    audience = bot_api.take(SendMessage)
    assert audience.text == (
        "👥 Wie krijgt het? Tik op een of meer groepen, daarna op 👁 Voorbeeld.\n\n"
        "Gekozen: nog niemand"
    )
    assert button_rows(audience.reply_markup) == [
        ["👥 Iedereen", "🧑‍🏫 Dialoogbegeleiders"],
        ["🎓 Met certificaat…", "🏠 Leden van initiatieven"],
        ["🏷 Thema…", "📍 Gemeente…"],
        ["📅 Deelnemers van een activiteit…", "⏳ Wachtlijst van een activiteit…"],
        ["👁 Voorbeeld"],
    ]
    await feed(callback_update(coordinator, _compose("preview")))
    refusal = bot_api.take(AnswerCallbackQuery)
    assert (refusal.text, refusal.show_alert) == ("Kies eerst minstens één groep.", True)

    await feed(callback_update(coordinator, _compose("members")))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert edited.text.endswith("Gekozen: leden van initiatieven")
    assert button_rows(edited.reply_markup)[1] == [
        "🎓 Met certificaat…",
        "✓ 🏠 Leden van initiatieven",
    ]

    await feed(callback_update(coordinator, _compose("ask", "events")))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Typ het nummer van de activiteit, bijvoorbeeld 12."
    await feed(message_update(coordinator, "999"))
    assert bot_api.take(SendMessage).text.startswith("Er is geen gepubliceerde activiteit")
    await feed(message_update(coordinator, str(event_id)))
    assert bot_api.take(SendMessage).text.endswith(
        f"Gekozen: leden van initiatieven, deelnemers van activiteit {event_id}"
    )

    await feed(callback_update(coordinator, _compose("preview")))
    assert bot_api.take(SendMessage).text == "👁 <b>Voorbeeld</b> – zo ziet het eruit:"
    preview = bot_api.take(SendMessage)
    assert preview.text == "Kom naar de <b>buurtborrel</b> &amp; praat mee!"
    assert isinstance(preview.reply_markup, InlineKeyboardMarkup)
    button = preview.reply_markup.inline_keyboard[0][0]
    assert (button.text, button.url) == ("Meld je aan", "https://example.org/borrel")
    confirm = bot_api.take(SendMessage)
    # Anna (member and participant) counts once; Eva opted out; so 4.
    assert confirm.text == "Dit naar 4 mensen sturen?"
    assert button_rows(confirm.reply_markup) == [
        ["✅ Nu versturen"],
        ["🌙 Versturen na de nachtrust"],
        ["✖️ Stoppen"],
    ]
    bot_api.take(AnswerCallbackQuery)
    assert isinstance(confirm.reply_markup, InlineKeyboardMarkup)
    data = confirm.reply_markup.inline_keyboard[0][0].callback_data
    assert data is not None
    return BroadcastCallback.unpack(data).id


async def test_broadcast_from_compose_to_report(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    bot: Bot,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    event_id = await _network(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    broadcast_id = await _compose_and_preview(feed, bot_api, kees, event_id)

    send = BroadcastCallback(action=BroadcastAction.SEND, id=broadcast_id).pack()
    await feed(callback_update(kees, send))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    progress = bot_api.take(SendMessage)
    assert progress.text == "📣 Bezig… 0 / 4 verstuurd"

    await feed(callback_update(kees, send))  # a double tap
    again = bot_api.take(AnswerCallbackQuery)
    assert (again.text, again.show_alert) == ("Dit bericht is al verstuurd.", True)

    rows = await outbox_of(repo, f"broadcast:{broadcast_id}")
    assert [(r.key, r.recipient_id, r.kind, r.urgent, r.status) for r in rows] == [
        (f"broadcast:{broadcast_id}:{uid}", uid, "broadcast", True, "pending")
        for uid in (ANNA, BOB, CHRIS, DEWI)
    ]
    entries = (await repo.session.execute(select(AuditEntry))).scalars()
    assert [(e.actor_id, e.action, e.target, e.details["recipients"]) for e in entries] == [
        (COORDINATOR_ID, "broadcast.send", f"broadcast:{broadcast_id}", 4)
    ]
    await repo.session.commit()

    dewi = make_user(id=DEWI, language_code="nl", first_name="Bewoner")
    await feed(message_update(dewi, "/geenmededelingen"))  # opts out before it reaches her
    assert bot_api.take(SendMessage).text.startswith("Oké, je krijgt geen mededelingen meer.")

    bot_api.will_return_for(BOB, _error(TelegramForbiddenError, "Forbidden: bot was blocked"))
    bot_api.will_return_for(CHRIS, _error(TelegramBadRequest, "Bad Request: chat not found"))
    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    delivered = sorted((bot_api.take(SendMessage) for _ in range(3)), key=lambda m: int(m.chat_id))
    assert [m.chat_id for m in delivered] == [ANNA, BOB, CHRIS]
    assert delivered[0].text == "Kom naar de <b>buurtborrel</b> &amp; praat mee!"
    assert isinstance(delivered[0].reply_markup, InlineKeyboardMarkup)
    assert delivered[0].reply_markup.inline_keyboard[0][0].url == "https://example.org/borrel"

    job = JobContext(session_pool, clock, settings, bot=bot, i18n=i18n)
    await run_broadcast_progress(job)
    done = bot_api.take(EditMessageText)
    assert (done.chat_id, done.text) == (
        COORDINATOR_ID,
        "📣 Klaar: 1 afgeleverd, 2 niet afgeleverd, 1 overgeslagen. Het verslag volgt.",
    )
    stored = await repo.broadcasts.get(broadcast_id)
    assert stored is not None and stored.progress_message_id == done.message_id
    await repo.session.commit()
    await sender.run_until_idle()
    report = bot_api.take(SendMessage)
    assert report.chat_id == COORDINATOR_ID
    assert report.text == (
        f"📣 <b>Verslag van bericht #{broadcast_id}</b>\n"
        "Ontvangers: 4\n"
        "✅ Afgeleverd: 1\n"
        "🚫 Bot geblokkeerd: 1\n"
        "⚠️ Mislukt: 1 (rejected: Bad Request: chat not found: 1)\n"
        "⏭ Overgeslagen: 1 (afgemeld: 1)"
    )
    state = await broadcast_progress.outcome(repo, broadcast_id)
    assert state.delivered + state.blocked + state.failed_count + state.skipped_count == 4
    stored = await repo.broadcasts.get(broadcast_id)
    assert stored is not None and stored.status == BroadcastStatus.DONE
    await repo.session.commit()

    await run_broadcast_progress(job)  # nothing more to say
    await feed(callback_update(kees, send))
    assert bot_api.take(AnswerCallbackQuery).text == "Dit bericht is al verstuurd."


async def test_english_broadcast_to_everyone_with_an_event_button(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    event_id = await _network(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await feed(message_update(kees, "/broadcast"))
    assert bot_api.take(SendMessage).text == (
        "✍️ Write the announcement. Bold, italics and links are kept exactly as you type them."
        "\n\nYou can stop at any time with /stop."
    )
    await feed(message_update(kees, "New table!"))
    assert bot_api.take(SendMessage).text == "Add a button under the message?"
    await feed(callback_update(kees, _compose("button", "event")))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Type the number of the event, for example 12."
    await feed(message_update(kees, f"#{event_id}"))
    question = bot_api.take(SendMessage)
    assert question.text.endswith("Chosen: nobody yet")
    await feed(callback_update(kees, _compose("everyone")))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert edited.text.endswith("Chosen: everyone")
    assert button_rows(edited.reply_markup)[0] == ["✓ 👥 Everyone", "🧑‍🏫 Facilitators"]
    await feed(callback_update(kees, _compose("preview")))
    assert bot_api.take(SendMessage).text == "👁 <b>Preview</b> – this is how it will look:"
    preview = bot_api.take(SendMessage)
    assert preview.text == "New table!"
    assert isinstance(preview.reply_markup, InlineKeyboardMarkup)
    button = preview.reply_markup.inline_keyboard[0][0]
    assert (button.text, button.callback_data) == ("📅 View and sign up", f"ev:open:{event_id}")
    # everyone reachable who did not opt out: the four residents and Kees himself
    assert bot_api.take(SendMessage).text == "Send this to 5 people?"
    bot_api.take(AnswerCallbackQuery)


async def test_send_after_quiet_hours_waits_for_the_morning(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    bot: Bot,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    await _network(repo)
    clock.set(clock.now().replace(hour=22))  # 23:00 in Amsterdam
    draft, count = await broadcasts.create_draft(
        repo,
        broadcasts.Draft("Goedenacht", {"members": True}),
        actor_id=COORDINATOR_ID,
        now=clock.now(),
    )
    draft_id = draft.id
    assert count == 2
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(
        callback_update(kees, BroadcastCallback(action=BroadcastAction.LATER, id=draft_id).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == (
        "📣 Wacht tot de stille uren voorbij zijn: het versturen begint om 08:00. 0 / 2 verstuurd"
    )
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    assert [(r.urgent, r.status) for r in rows] == [(False, "pending")] * 2

    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    assert not bot_api.calls  # nothing at night
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    assert {r.due_at.hour for r in rows} == {7}  # 08:00 in Amsterdam


async def test_cancel_sends_nothing_and_is_logged(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await _network(repo)
    draft, _count = await broadcasts.create_draft(
        repo,
        broadcasts.Draft("Toch niet", {"everyone": True}),
        actor_id=COORDINATOR_ID,
        now=clock.now(),
    )
    draft_id = draft.id
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(
        callback_update(kees, BroadcastCallback(action=BroadcastAction.CANCEL, id=draft_id).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Geannuleerd. Er is niets verstuurd."
    await feed(
        callback_update(kees, BroadcastCallback(action=BroadcastAction.SEND, id=draft_id).pack())
    )
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Dit bericht is geannuleerd. Er is niets verstuurd."
    )
    await feed(
        callback_update(kees, BroadcastCallback(action=BroadcastAction.CANCEL, id=draft_id).pack())
    )
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Dit bericht is geannuleerd. Er is niets verstuurd."
    )
    await feed(callback_update(kees, BroadcastCallback(action=BroadcastAction.SEND, id=999).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == "Dit bericht bestaat niet meer."
    assert await outbox_of(repo, f"broadcast:{draft_id}") == []
    actions = (await repo.session.execute(select(AuditEntry.action))).scalars().all()
    assert actions == ["broadcast.cancel"]


async def test_two_confirms_at_the_same_moment_send_once(
    repo: Repo, session_pool: SessionPool, clock: FakeClock
) -> None:
    await _network(repo)
    draft, count = await broadcasts.create_draft(
        repo,
        broadcasts.Draft("Eén keer", {"everyone": True}),
        actor_id=COORDINATOR_ID,
        now=clock.now(),
    )
    draft_id = draft.id

    async def confirm() -> bool:
        async with session_pool() as session:
            result = await broadcasts.confirm(
                Repo(session), draft_id, actor_id=COORDINATOR_ID, urgent=True, now=clock.now()
            )
            return result.started

    results = await asyncio.gather(*(confirm() for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    assert len(rows) == count == 4
    assert len({r.recipient_id for r in rows}) == 4


async def test_progress_is_edited_at_most_every_few_seconds_and_survives_a_restart(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    bot: Bot,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    await make_people(repo, 10)
    draft, count = await broadcasts.create_draft(
        repo,
        broadcasts.Draft("Hallo allemaal", {"everyone": True}),
        actor_id=COORDINATOR_ID,
        now=clock.now(),
    )
    draft_id = draft.id
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(
        callback_update(kees, BroadcastCallback(action=BroadcastAction.SEND, id=draft_id).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == "📣 Bezig… 0 / 10 verstuurd"
    job = JobContext(session_pool, clock, settings, bot=bot, i18n=i18n)

    # The process that was sending stopped: it had delivered 4 and was busy with 2 more.
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    async with repo.write():
        await repo.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in rows[:4]]))
            .values(status=OutboxStatus.SENT, sent_at=clock.now(), attempts=1)
        )
        await repo.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in rows[4:6]]))
            .values(status="sending", lease_until=clock.now() + timedelta(minutes=2), attempts=1)
        )
    await run_broadcast_progress(job)
    assert not bot_api.calls  # less than 3 seconds since the last edit
    clock.advance(timedelta(seconds=3))
    await run_broadcast_progress(job)
    assert bot_api.take(EditMessageText).text == "📣 Bezig… 4 / 10 verstuurd"
    clock.advance(timedelta(seconds=3))
    await run_broadcast_progress(job)
    assert not bot_api.calls  # nothing changed: no edit

    # A new process (new sender, new job context) goes on where the old one stopped.
    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    first_round = {bot_api.take(SendMessage).chat_id for _ in range(4)}
    assert first_round == {row.recipient_id for row in rows[6:]}
    clock.advance(timedelta(minutes=3))  # the stopped process's claims run out
    await sender.run_until_idle()
    second_round = {bot_api.take(SendMessage).chat_id for _ in range(2)}
    assert second_round == {row.recipient_id for row in rows[4:6]}
    await run_broadcast_progress(JobContext(session_pool, clock, settings, bot=bot, i18n=i18n))
    assert bot_api.take(EditMessageText).text == "📣 Klaar: 10 afgeleverd. Het verslag volgt."
    await sender.run_until_idle()
    report = bot_api.take(SendMessage)
    assert report.chat_id == COORDINATOR_ID and "✅ Afgeleverd: 10" in report.text
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    assert len(rows) == count == 10 and {r.status for r in rows} == {"sent"}


async def make_people(repo: Repo, count: int) -> None:
    for user_id in range(4001, 4001 + count - 1):
        await add_user(repo, user_id)
    await add_user(repo, COORDINATOR_ID, role="coordinator", first_name="Kees")


def test_progress_numbers_are_written_the_dutch_and_the_english_way(i18n: CatalogI18n) -> None:
    from bot.i18n import speaking
    from bot.views.broadcast_progress import progress_text

    with speaking(i18n, "nl"):
        assert progress_text(1240, 3000, "nl") == "📣 Bezig… 1.240 / 3.000 verstuurd"
    with speaking(i18n, "en"):
        assert progress_text(1240, 3000, "en") == "📣 Sending… 1,240 / 3,000 sent"


async def test_noannouncements_ends_announcements_and_start_brings_them_back(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(language_code="en", first_name="Emma")
    await feed(message_update(emma, "/noannouncements"))
    assert bot_api.take(SendMessage).text == (
        "OK, you won't get announcements any more. Reminders about your own sign-ups still "
        "come.\n\nWant them again? Send /start."
    )
    await feed(message_update(emma, "/geenmededelingen"))
    assert bot_api.take(SendMessage).text == (
        "You had already stopped announcements. Want them again? Send /start."
    )
    assert await repo.broadcasts.audience_ids({"everyone": True}) == []
    await repo.session.commit()

    await feed(message_update(emma, "/start"))
    assert bot_api.take(SendMessage).text == "Welcome back! You'll get announcements again."
    assert bot_api.take(SendMessage).text.startswith("Hi Emma!")
    assert await repo.broadcasts.audience_ids({"everyone": True}) == [emma.id]
    await repo.session.commit()
    await feed(message_update(emma, "/start"))
    assert bot_api.take(SendMessage).text.startswith("Hi Emma!")  # no "welcome back" twice


async def test_stop_while_composing_cancels_and_keeps_announcements_on(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/bericht"))
    bot_api.take(SendMessage)
    await feed(message_update(kees, "/stop"))
    assert bot_api.take(SendMessage).text == "Gestopt. Er is niets verstuurd."
    stored = await repo.users.get(COORDINATOR_ID)
    assert stored is not None and stored.announcements_stopped_at is None
    await repo.session.commit()
    await feed(message_update(kees, "/stop"))  # not composing any more: still no opt-out
    assert bot_api.take(SendMessage).text == (
        "Er loopt nu niets om te stoppen. Wil je geen mededelingen van de coördinatoren meer "
        "krijgen? Stuur dan /geenmededelingen."
    )
    stored = await repo.users.get(COORDINATOR_ID)
    assert stored is not None and stored.announcements_stopped_at is None
    await repo.session.commit()


async def test_a_photo_or_an_overlong_text_gets_a_clear_answer(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/bericht"))
    bot_api.take(SendMessage)
    from aiogram.types import PhotoSize

    await feed(
        message_update(
            kees, None, photo=[PhotoSize(file_id="f", file_unique_id="u", width=1, height=1)]
        )
    )
    assert bot_api.take(SendMessage).text == "Stuur het bericht als tekst, alsjeblieft."
    await feed(message_update(kees, "x" * 3900))
    assert bot_api.take(SendMessage).text == (
        "Dat is te lang voor één bericht. Maak het korter en stuur het opnieuw."
    )
    await feed(message_update(kees, "Kort en goed"))
    assert bot_api.take(SendMessage).text == "Wil je een knop onder het bericht?"


async def test_who_opts_out_after_the_preview_is_reported_as_skipped(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    bot: Bot,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    await _network(repo)
    draft, count = await broadcasts.create_draft(
        repo,
        broadcasts.Draft("Hallo allemaal", {"members": True}),
        actor_id=COORDINATOR_ID,
        now=clock.now(),
    )
    draft_id = draft.id
    assert count == 2
    clock.advance(timedelta(minutes=2))
    members = await repo.broadcasts.audience_ids({"members": True})
    await repo.session.commit()
    leaving = make_user(id=members[0], language_code="nl")
    await feed(message_update(leaving, "/geenmededelingen"))  # between preview and [Send]
    bot_api.take(SendMessage)

    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    send = BroadcastCallback(action=BroadcastAction.SEND, id=draft_id).pack()
    await feed(callback_update(kees, send))
    bot_api.take(AnswerCallbackQuery), bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == "📣 Bezig… 0 / 2 verstuurd"
    rows = await outbox_of(repo, f"broadcast:{draft_id}")
    assert sorted(r.recipient_id for r in rows) == members

    sender = make_sender(bot, session_pool, clock, i18n, settings)
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).chat_id == members[1]
    await run_broadcast_progress(JobContext(session_pool, clock, settings, bot=bot, i18n=i18n))
    assert bot_api.take(EditMessageText).text == (
        "📣 Klaar: 1 afgeleverd, 1 overgeslagen. Het verslag volgt."
    )
    await sender.run_until_idle()
    assert bot_api.take(SendMessage).text.endswith("⏭ Overgeslagen: 1 (afgemeld: 1)")
