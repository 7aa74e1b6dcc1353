"""Certificates that stay current: a lapsed certificate no longer qualifies for a table (in a
request and in the candidates of an open call), its holder hears 60 days before with the next
training and a one-tap sign-up, a new training renews it, and coordinators see who lapses when."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot
from aiogram.methods import SendMessage
from sqlalchemy import update

from bot.catalog import certificates
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.services.events.admin import mark_attendance
from bot.services.events.registrations import sign_up
from bot.services.facilitation import open_calls
from bot.services.facilitation.renewals import nudge_lapsing
from storage.engine import SessionPool
from storage.models import Certificate
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import make_event
from tests.facilitation_support import (
    FATIMA,
    PIET,
    deliver,
    sender_for,
    table,
    team,
    tg_user,
)
from tests.factories import message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def _granted_days_ago(
    repo: Repo, clock: FakeClock, user_id: int, level: str, days: int
) -> None:
    async with repo.write():
        await repo.session.execute(
            update(Certificate)
            .where(Certificate.user_id == user_id, Certificate.level == level)
            .values(granted_at=clock.now() - timedelta(days=days))
        )


async def _say(feed: Feeder, bot_api: MockedBotAPI, user_id: int, text: str) -> str:
    await feed(message_update(tg_user(user_id), text))
    return bot_api.take(SendMessage).text or ""


async def test_a_lapsed_certificate_no_longer_qualifies(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    # Fatima's Basis lapses two days before the table (Tuesday 10 March).
    await _granted_days_ago(repo, clock, FATIMA, "basis", 3 * 365 - 6)
    assert await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima") == (
        "Fatima kan deze tafel niet begeleiden: het certificaat Basis is verlopen op "
        "8 maart 2026. Een nieuwe training Basis vernieuwt het (of leg het opnieuw vast met "
        "/certificeer)."
    )
    event = await repo.events.get(event_id)
    assert event is not None
    people = await open_calls.eligible(repo, event, tz=settings.tz)
    await repo.session.commit()
    assert FATIMA not in {person.id for person in people}
    assert PIET in {person.id for person in people}
    # Recording it again renews it from today.
    await _say(feed, bot_api, COORDINATOR_ID, "/certificeer @fatima basis")
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")).startswith(
        "📨 Fatima is gevraagd"
    )
    bot_api.take_all()


async def test_the_holder_hears_60_days_before_with_the_next_training(
    bot: Bot,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    settings: Settings,
    session_pool: SessionPool,
    i18n: CatalogI18n,
) -> None:
    certificates.configure(settings.certificate_validity_days)
    await team(repo, clock)
    await _granted_days_ago(repo, clock, FATIMA, "basis", 3 * 365 - 50)  # 50 days left
    await _granted_days_ago(repo, clock, PIET, "basis", 3 * 365 - 90)  # 90 days left
    training = await make_event(
        repo, clock, kind="training", level="basis", title="Training Basis", theme=None
    )
    assert await nudge_lapsing(repo, now=clock.now()) == 1
    assert await nudge_lapsing(repo, now=clock.now()) == 0  # once per certificate
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    [told] = await deliver(sender, bot_api, 1)
    assert told.chat_id == FATIMA
    assert told.text == (
        "🎓 Je certificaat Basis verloopt op 21 april 2026. Daarna kun je geen tafels meer "
        "begeleiden waarvoor het nodig is. Een nieuwe training Basis vernieuwt het.\n\n"
        "De volgende: <b>Training Basis</b>, di 10 mrt, 19:30–21:30, Utrecht."
    )
    assert button_rows(told.reply_markup) == [["✅ Aanmelden"]]
    join = EventCallback(action=EventAction.JOIN, event_id=training.id).pack()
    assert told.reply_markup.inline_keyboard[0][0].callback_data == join  # type: ignore[union-attr]

    # She goes to the training: it renews the certificate, and no new reminder comes.
    registration = (await sign_up(repo, training.id, FATIMA, now=clock.now())).registration
    clock.set(training.starts_at + timedelta(hours=3))
    await mark_attendance(repo, registration.id, True, actor_id=None, now=clock.now())
    held = await repo.events.certificates_of(FATIMA)
    await repo.session.commit()
    assert held["basis"] == clock.now()
    assert await nudge_lapsing(repo, now=clock.now()) == 0
    bot_api.take_all()


async def test_coordinators_see_who_lapses_when(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await team(repo, clock)
    await _granted_days_ago(repo, clock, FATIMA, "basis", 3 * 365 + 10)  # lapsed
    await _granted_days_ago(repo, clock, PIET, "basis", 3 * 365 - 30)  # soon
    text = await _say(feed, bot_api, COORDINATOR_ID, "/certificaten")
    lines = text.split("\n")
    assert lines[:4] == [
        "🎓 <b>Certificaten en tot wanneer ze gelden</b>",
        "",
        "⚠️ Fatima: Basis, verlopen op 20 februari 2026",
        "⏳ Piet: Basis, tot 1 april 2026",
    ]
    assert lines[4].startswith("• ")
    assert await _say(feed, bot_api, FATIMA, "/certificaten") == (
        "Sorry, dit kunnen alleen coördinatoren doen."
    )
