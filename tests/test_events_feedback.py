"""One tap of feedback after a table: two hours after it ends, participants who had a seat get
"Hoe was het gesprek?" with 1 to 5 stars and room for a sentence; figures in /stats and the CSV,
anonymous, with the sentence only when they agreed to share it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import EventAction, EventCallback, FeedbackCallback
from bot.services.coordination import exports
from bot.services.events.admin import mark_attendance
from bot.services.events.feedback import ask_for_feedback
from bot.services.privacy.retention import apply_retention
from storage.engine import SessionPool
from storage.models import TableFeedback
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import START_DEFAULT, make_event
from tests.facilitation_support import deliver, sender_for
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def test_participants_are_asked_and_answer_with_stars_and_a_sentence(
    feed: Feeder,
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    session_pool: SessionPool,
    i18n: CatalogI18n,
    settings: Settings,
) -> None:
    event_id = (await make_event(repo, clock, capacity=3)).id
    anna = make_user(first_name="Anna", language_code="nl")
    emma = make_user(first_name="Emma", language_code="en")
    bert = make_user(first_name="Bert", language_code="nl")
    for person in (anna, emma, bert):
        await feed(
            callback_update(
                person, EventCallback(action=EventAction.JOIN, event_id=event_id).pack()
            )
        )
    bot_api.take_all()
    # Bert did not come (marked absent): he is not asked.
    bert_registration = await repo.registrations.of(event_id, bert.id)
    assert bert_registration is not None
    bert_id = bert_registration.id
    await repo.session.commit()
    clock.set(START_DEFAULT + timedelta(hours=1))
    await mark_attendance(repo, bert_id, False, actor_id=None, now=clock.now())

    assert await ask_for_feedback(repo, now=clock.now()) == 0  # not yet two hours after it
    clock.set(START_DEFAULT + timedelta(hours=4, minutes=5))  # it ended at 21:30
    assert await ask_for_feedback(repo, now=clock.now()) == 2
    assert await ask_for_feedback(repo, now=clock.now()) == 0  # once
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await deliver(sender, bot_api, 0)  # 23:35: it waits for the quiet hours to end
    clock.set(datetime(2026, 3, 11, 7, 5, tzinfo=UTC))  # 08:05 the next morning
    messages = await deliver(sender, bot_api, 2)
    to_anna = next(m for m in messages if m.chat_id == anna.id)
    assert to_anna.text == (
        "💬 Hoe was het gesprek bij <b>Samen aan tafel</b>?\n"
        "Eén tik is genoeg: 1 ster is slecht, 5 sterren is heel goed."
    )
    assert button_rows(to_anna.reply_markup) == [["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]]
    to_emma = next(m for m in messages if m.chat_id == emma.id)
    assert (to_emma.text or "").startswith("💬 How was the conversation at <b>Samen aan tafel</b>?")

    await feed(callback_update(anna, FeedbackCallback(event_id=event_id, rating=4).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == "Dank je wel!"
    edited = bot_api.take(EditMessageText)
    assert (
        edited.text
        == "⭐⭐⭐⭐\nDank je! Wil je er nog iets bij zeggen? Typ een zin, of tik op Klaar."
    )
    assert button_rows(edited.reply_markup) == [["Klaar"]]
    await feed(message_update(anna, "Fijn gesprek met de buren, kom graag weer."))
    asked = bot_api.take(SendMessage)
    assert asked.text == (
        "Dank je wel voor je zin. Mogen we die, zonder je naam, delen met de organisatie (in de "
        "cijfers en de export)?"
    )
    assert button_rows(asked.reply_markup) == [["Ja, deel hem", "Nee, alleen de sterren"]]
    await feed(callback_update(anna, FeedbackCallback(event_id=event_id, share=1).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert (
        bot_api.take(EditMessageText).text == "Dank je wel! Je antwoord helpt de volgende tafels."
    )

    await feed(callback_update(emma, FeedbackCallback(event_id=event_id, rating=2).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == "Thank you!"
    bot_api.take(EditMessageText)
    await feed(message_update(emma, "A bit short."))
    bot_api.take(SendMessage)
    await feed(callback_update(emma, FeedbackCallback(event_id=event_id, share=0).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Thank you! Your answer helps the next tables."

    # Bert had no seat in the end: he can't answer.
    await feed(callback_update(bert, FeedbackCallback(event_id=event_id, rating=5).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Alleen wie een plek had aan deze tafel kan hierop antwoorden."
    )

    # The figures: /stats for March, and the anonymous CSV.
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/stats 2026-03"))
    text = bot_api.take(SendMessage).text or ""
    assert (
        "⭐ Hoe de gesprekken waren: gemiddeld 3,0 sterren, 2 antwoorden\n"
        "   per thema: Eenzaamheid 3,0 (2)\n"
        "   per gemeente: Utrecht 3,0 (2)"
    ) in text
    bot_api.take_all()
    data, count = await exports.export(
        repo, "feedback", None, actor_id=COORDINATOR_ID, via="chat", now=clock.now(), tz=settings.tz
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert count == 2
    assert rows[0] == [
        "event_id", "event_title", "event_starts_at", "theme", "municipality", "rating",
        "comment", "created_at",
    ]  # fmt: skip
    comments = sorted((row[5], row[6]) for row in rows[1:])
    assert comments == [("2", ""), ("4", "Fijn gesprek met de buren, kom graag weer.")]
    assert not any(str(anna.id) in ",".join(row) or "Anna" in ",".join(row) for row in rows)

    # Retention takes the person away after 90 days; the stars stay for the figures.
    clock.advance(timedelta(days=91))
    await apply_retention(repo, now=clock.now(), days=90)
    kept = await repo.feedback.between(None, None)
    assert sorted((f.user_id, f.rating) for f, _event in kept) == [(None, 2), (None, 4)]
    await repo.session.commit()
    assert all(isinstance(f, TableFeedback) for f, _event in kept)


async def test_a_forged_feedback_button_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    anna = make_user(language_code="nl")
    await feed(
        callback_update(anna, EventCallback(action=EventAction.JOIN, event_id=event_id).pack())
    )
    bot_api.take_all()
    for forged in (f"fb:{event_id}:-1:-1", f"fb:{event_id}:9:-1", f"fb:{event_id}:0:7"):
        await feed(callback_update(anna, forged))
        assert bot_api.take(AnswerCallbackQuery).text is None
    assert await repo.feedback.between(None, None) == []
    await repo.session.commit()
