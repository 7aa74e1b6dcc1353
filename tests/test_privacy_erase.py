"""/verwijder: after a confirmation everything about a person is erased, and no table keeps a
trace of them; a tombstone keeps them erased after a restored backup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.keyboards.callbacks import PrivacyAction, PrivacyCallback
from bot.services.privacy.personal_data import DEFAULT_SALT, enforce_tombstones, id_hash
from storage.models import (
    Initiative,
    InitiativeMember,
    OutboxMessage,
    Registration,
    Tombstone,
)
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.coordination_support import T0, add_event, add_user, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows
from tests.privacy_support import (
    Traces,
    build_world,
    fill_every_person_table,
    find_traces,
    row_counts,
)

QUESTION_NL = (
    "<b>Alles over jou verwijderen?</b>\n\n"
    "• Je account, aanmeldingen, instellingen en berichten worden verwijderd.\n"
    "• Initiatieven waar alleen jij lid van bent, worden verwijderd. "
    "Gedeelde initiatieven gaan door zonder jou.\n"
    "• Je oude aanmeldingen tellen alleen nog mee in de cijfers, zonder je naam.\n\n"
    "Dit kun je niet ongedaan maken."
)
DONE_NL = (
    "Klaar: alles over jou is verwijderd. "
    "Stuur je me later weer een bericht, dan begin je opnieuw. Het ga je goed!"
)


def zwaantje(**extra: Any) -> Any:
    return make_user(
        first_name="Zwaantje", last_name="Qwerty", username="zwaan_qx7", language_code="nl", **extra
    )


async def _ask_and_confirm(feed: Feeder, bot_api: MockedBotAPI, person: Any) -> None:
    await feed(message_update(person, "/verwijder"))
    question = bot_api.take(SendMessage)
    assert question.text == QUESTION_NL
    assert button_rows(question.reply_markup) == [["🗑 Ja, verwijder alles"], ["Nee, toch niet"]]
    erase = question.reply_markup.inline_keyboard[0][0].callback_data  # type: ignore[union-attr]
    assert isinstance(erase, str)
    await feed(callback_update(person, erase))
    assert bot_api.take(AnswerCallbackQuery).text is None
    assert bot_api.take(EditMessageText).text == DONE_NL


async def test_erasing_leaves_no_trace_of_the_person_in_any_table(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    dispatcher: Dispatcher,
    clock: FakeClock,
    bot: Bot,
) -> None:
    person = zwaantje()
    await add_user(repo, person.id, first_name="Zwaantje", username="zwaan_qx7")
    world = await build_world(repo, person.id, partner_id=person.id + 1, waiting_id=person.id + 2)
    assert await fill_every_person_table(repo, person.id) == []
    key = StorageKey(bot_id=bot.id, chat_id=person.id, user_id=person.id)
    await dispatcher.storage.set_data(key, {"draft": "Zwaantje Qwerty"})
    traces = Traces(person.id, ("Zwaantje", "Qwerty", "zwaan_qx7"))
    assert len(await find_traces(repo, traces)) > 10

    await _ask_and_confirm(feed, bot_api, person)

    assert await find_traces(repo, traces) == []
    assert await dispatcher.storage.get_state(key) is None
    assert await dispatcher.storage.get_data(key) == {}
    # Their own initiative is gone; the shared one goes on, the partner now owns it.
    assert await repo.session.get(Initiative, world.alone_initiative) is None
    shared = await repo.session.get(Initiative, world.shared_initiative)
    assert shared is not None and shared.telegram is None
    partner = await repo.session.get(InitiativeMember, (world.shared_initiative, person.id + 1))
    assert partner is not None and partner.role == "owner"
    # The seat at the future table went to the one waiting; the past one counts without a name.
    seats = await repo.session.execute(
        select(Registration.user_id, Registration.status)
        .where(Registration.event_id == world.future_event)
        .order_by(Registration.id)
    )
    assert [tuple(row) for row in seats.all()] == [
        (None, "cancelled"),
        (person.id + 2, "confirmed"),
    ]
    past = await repo.session.execute(
        select(Registration.user_id, Registration.status).where(
            Registration.event_id == world.past_event
        )
    )
    assert past.all() == [(None, "attended")]
    # Only the partner's own message stays (without the name), and the promotion of the one
    # who was waiting; nothing waits for the erased person.
    recipients = await repo.session.scalars(select(OutboxMessage.recipient_id))
    assert person.id not in set(recipients)
    tombstone = await repo.session.get(Tombstone, id_hash(person.id, DEFAULT_SALT))
    assert tombstone is not None and tombstone.erased_at == clock.now()


async def test_erasing_in_english_asks_and_confirms_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(message_update(emma, "/delete"))
    question = bot_api.take(SendMessage)
    assert question.text is not None and question.text.startswith(
        "<b>Delete everything about you?</b>"
    )
    assert button_rows(question.reply_markup) == [["🗑 Yes, delete everything"], ["No, keep it"]]
    keep = question.reply_markup.inline_keyboard[1][0].callback_data  # type: ignore[union-attr]
    assert isinstance(keep, str)
    await feed(callback_update(emma, keep))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Good, nothing has been deleted."
    assert await repo.users.get(emma.id) is not None


async def test_a_forged_or_old_erase_button_erases_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    person = zwaantje()
    await feed(message_update(person, "/verwijder"))
    bot_api.take(SendMessage)
    before = await row_counts(repo)

    await feed(
        callback_update(person, PrivacyCallback(action=PrivacyAction.ERASE, code="guess").pack())
    )
    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "Deze knop werkt niet meer. Stuur /verwijder om opnieuw te beginnen."
    assert answer.show_alert
    assert await row_counts(repo) == before

    other = zwaantje()  # never asked: no question, no erasure
    await feed(callback_update(other, PrivacyCallback(action=PrivacyAction.ERASE, code="").pack()))
    bot_api.take(AnswerCallbackQuery)
    assert await repo.users.get(person.id) is not None


async def test_a_restored_backup_does_not_bring_an_erased_person_back(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    person = zwaantje()
    await feed(message_update(person, "/start"))
    bot_api.take_all()
    clock.advance(timedelta(days=7))
    await _ask_and_confirm(feed, bot_api, person)
    # The backup of last week: their row and a sign-up, created before the erasure.
    await add_user(repo, person.id, first_name="Zwaantje", username="zwaan_qx7", now=T0)
    event = await add_event(repo)
    await register(repo, event.id, person.id)
    returned = make_user(first_name="Joost", language_code="nl")
    await add_user(repo, returned.id, first_name="Joost", now=clock.now())

    erased = await enforce_tombstones(repo, now=clock.now(), salt=DEFAULT_SALT)

    assert erased == 1
    assert await find_traces(repo, Traces(person.id, ("Zwaantje", "zwaan_qx7"))) == []
    assert await repo.users.get(returned.id) is not None


async def test_coming_back_after_erasure_starts_afresh_and_stays(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    person = zwaantje()
    await _ask_and_confirm(feed, bot_api, person)
    clock.advance(timedelta(minutes=1))
    await feed(message_update(person, "/menu"))
    bot_api.take(SendMessage)

    assert await enforce_tombstones(repo, now=clock.now(), salt=DEFAULT_SALT) == 0
    assert await repo.users.get(person.id) is not None
    count = await repo.session.scalar(select(func.count()).select_from(Tombstone))
    assert count == 1


async def test_after_erasure_the_bytes_are_gone_from_the_sqlite_files(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, database_url: str
) -> None:
    """Deleted rows must not linger in the database file or its write-ahead log: SQLite
    overwrites what it deletes (secure_delete) and the log is checkpointed and emptied."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL keeps dead rows until VACUUM; see the README")
    person = zwaantje()
    name, username = "Zwaantje Qwertyuiop", "zwaan_lingers_qx9"
    await add_user(repo, person.id, first_name=name, username=username)
    await build_world(repo, person.id, partner_id=person.id + 1, waiting_id=person.id + 2)
    await repo.session.commit()
    files = [Path(database_url.split("///", 1)[1])]
    files.append(files[0].with_name(files[0].name + "-wal"))
    assert any(username.encode() in path.read_bytes() for path in files if path.exists())

    await _ask_and_confirm(feed, bot_api, person)
    await repo.session.close()

    for path in files:
        content = path.read_bytes() if path.exists() else b""
        assert username.encode() not in content, path.name
        assert name.encode() not in content, path.name
