"""The weekly overview: opt-in under /instellingen (through the Dispatcher, Dutch and English),
the weekly job that schedules one digest per subscriber with news, and its rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n, speaking
from bot.keyboards.callbacks import DigestAction, DigestCallback
from bot.notifications.registry import RenderContext, get_kind
from scheduler.digest import run_weekly_digest
from storage.engine import SessionPool
from storage.models import OutboxMessage
from storage.models.initiatives import Initiative
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.event_helpers import make_event, make_people, person
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


@dataclass
class StandInJobContext:
    session_pool: SessionPool
    clock: FakeClock
    settings: Settings


async def test_settings_turn_the_weekly_overview_on_and_pick_a_theme(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/instellingen"))
    shown = bot_api.take(SendMessage)
    assert shown.text == (
        "⚙️ <b>Instellingen</b>\n\n"
        "📰 Weekoverzicht van nieuwe activiteiten en initiatieven: uit\n"
        "🏷 Thema's: alle\n"
        "📍 Gemeenten: alle"
    )
    assert button_rows(shown.reply_markup) == [
        ["🔔 Aanzetten"],
        ["🏷 Thema's kiezen", "📍 Gemeenten kiezen"],
    ]

    await feed(callback_update(anna, DigestCallback(action=DigestAction.ON).pack()))
    assert bot_api.take(AnswerCallbackQuery).text == "Weekoverzicht staat aan."
    assert "initiatieven: aan" in (bot_api.take(EditMessageText).text or "")

    await feed(
        callback_update(anna, DigestCallback(action=DigestAction.THEME, value="wonen").pack())
    )
    bot_api.take(AnswerCallbackQuery)
    picker = bot_api.take(EditMessageText)
    assert picker.text == "Welke thema's vind je interessant? Niets aangevinkt betekent: alle."
    assert ["Wonen", "Duurzaamheid"] not in button_rows(picker.reply_markup)
    assert any("✓ Wonen" in row for row in button_rows(picker.reply_markup))

    subscription = await repo.events.subscription(anna.id)
    assert subscription is not None and subscription.active and subscription.themes == ["wonen"]


async def test_settings_in_english(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="en"), "/instellingen"))
    assert bot_api.take(SendMessage).text == (
        "⚙️ <b>Settings</b>\n\n"
        "📰 Weekly overview of new events and initiatives: off\n"
        "🏷 Themes: all\n"
        "📍 Municipalities: all"
    )


async def _subscribe(repo: Repo, user_id: int, clock: FakeClock, **choices: Any) -> None:
    async with repo.write():
        found = await repo.events.ensure_subscription(user_id, clock.now())
        found.active = True
        for name, value in choices.items():
            setattr(found, name, value)


async def _digests(repo: Repo) -> list[OutboxMessage]:
    result = await repo.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == "digest.weekly")
    )
    rows = list(result.scalars())
    await repo.session.commit()
    return rows


async def test_weekly_digest_goes_to_subscribers_with_news_that_fits(
    repo: Repo,
    clock: FakeClock,
    settings: Settings,
    session_pool: SessionPool,
    i18n: CatalogI18n,
) -> None:
    wonen, everything, zeist, off = await make_people(repo, clock, 4, start_id=600_000)
    await _subscribe(repo, wonen, clock, themes=["wonen"])
    await _subscribe(repo, everything, clock)
    await _subscribe(repo, zeist, clock, municipalities=["Zeist"])
    async with repo.write():
        await repo.events.ensure_subscription(off, clock.now())
    table = (await make_event(repo, clock, title="Over wonen", theme="wonen")).id
    repo.session.add(
        Initiative(
            name="Buurtmoestuin",
            themes=["voedsel"],
            municipality="Utrecht",
            status="published",
            published_at=clock.now(),
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    )
    await repo.session.commit()
    clock.advance(timedelta(days=1))

    await run_weekly_digest(StandInJobContext(session_pool, clock, settings))  # type: ignore[arg-type]

    rows = {row.recipient_id: row for row in await _digests(repo)}
    assert set(rows) == {wonen, everything}
    assert rows[wonen].params == {"event_ids": [table], "initiative_ids": []}
    assert rows[everything].params["event_ids"] == [table]
    assert len(rows[everything].params["initiative_ids"]) == 1
    assert rows[wonen].due_at == clock.now() and not rows[wonen].urgent

    kind = get_kind("digest.weekly")
    assert kind is not None
    ctx = RenderContext(repo, await person(repo, everything), "nl", clock.now(), settings)
    with speaking(i18n, "nl"):
        rendered = await kind.render(ctx, rows[everything].params)
    assert rendered is not None and rendered.text == (
        "📰 <b>Nieuw deze week op Samenspel</b>\n\n"
        "Activiteiten waarvoor je je kunt aanmelden:\n"
        "• <b>Over wonen</b> — di 10 mrt, 19:30–21:30, Utrecht\n\n"
        "Nieuwe initiatieven:\n"
        "• Buurtmoestuin (Utrecht)\n\n"
        "Alles zien? Kijk bij /agenda. Dit overzicht aanpassen kan bij /instellingen."
    )

    # Running again the same week schedules nothing twice.
    await run_weekly_digest(StandInJobContext(session_pool, clock, settings))  # type: ignore[arg-type]
    assert len(await _digests(repo)) == 2


async def test_an_empty_week_sends_nothing(
    repo: Repo, clock: FakeClock, settings: Settings, session_pool: SessionPool
) -> None:
    (subscriber,) = await make_people(repo, clock, 1, start_id=610_000)
    await _subscribe(repo, subscriber, clock)
    await make_event(repo, clock)
    clock.advance(timedelta(days=8))  # the event was published more than a week ago

    await run_weekly_digest(StandInJobContext(session_pool, clock, settings))  # type: ignore[arg-type]

    assert await _digests(repo) == []
