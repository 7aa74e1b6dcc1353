"""After the table: the facilitator replies to the debrief question with how many came and what
was talked about; it is stored per table and feeds the figures and the export. Also the
facilitator's own availability settings, in Dutch and English."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n, speaking
from bot.keyboards.callbacks import FacSettingsAction, FacSettingsCallback
from bot.services.coordination import exports, stats
from bot.services.facilitation.debriefs import parse
from bot.views.stats import figures_text
from storage.engine import SessionPool
from storage.models import Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import START_DEFAULT
from tests.facilitation_support import (
    EMMA,
    FATIMA,
    add_person,
    deliver,
    message_id_of,
    reply_update,
    request_id,
    sender_for,
    table,
    team,
    tg_user,
)
from tests.factories import callback_update, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


def test_debrief_answers_are_read_as_number_and_topics() -> None:
    assert parse("9 - wonen, de bus, buren") == (9, "wonen, de bus, buren")
    assert parse("12 mensen, eenzaamheid en buren") == (12, "eenzaamheid en buren")
    assert parse("we waren met 7: over de markt") == (7, "over de markt")
    assert parse("8") == (8, "")


async def test_debrief_reply_is_stored_and_feeds_figures_and_export(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await feed(message_update(tg_user(COORDINATOR_ID), f"/verzoek {event_id} @fatima"))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)
    clock.advance(timedelta(hours=3))
    await feed(message_update(tg_user(FATIMA), "prima"))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)
    rid = await request_id(repo, event_id, FATIMA)

    # The next evening: the own reminder is too late to send; the debrief question goes out.
    clock.set(START_DEFAULT + timedelta(days=1))
    await deliver(sender, bot_api, 1)
    question = await message_id_of(repo, f"facdebrief:{rid}:v1")
    await feed(reply_update(tg_user(FATIMA), "veel mensen!", question))
    assert bot_api.take(SendMessage).text == (
        "Begin met het aantal mensen dat er was, dan een paar woorden over het gesprek. "
        "Bijvoorbeeld: <code>9 - wonen, de bus, buren</code>"
    )
    await feed(reply_update(tg_user(FATIMA), "9 - wonen, de bus & buren", question))
    assert bot_api.take(SendMessage).text == (
        "Dank je wel! Genoteerd voor <b>Samen aan tafel</b>: 9 mensen."
    )

    period = stats.parse_period("2026", now=clock.now(), tz=settings.tz)
    figures = await stats.figures(repo, period, now=clock.now())
    assert (figures.facilitator_answer_rate, figures.facilitator_median_answer_hours) == (1.0, 3.0)
    assert (figures.debriefs, figures.debrief_participants) == (1, 9)
    with speaking(i18n, "nl"):
        text = figures_text(figures, "nl")
    assert "🧑‍🏫 Verzoeken aan begeleiders beantwoord: 100%; mediane antwoordtijd: 3,0 uur" in text
    assert text.endswith("📝 Terugblikken: 1, met 9 mensen aan tafel")

    data, count = await exports.export(
        repo, "debriefs", None, actor_id=None, via="test", now=clock.now(), tz=settings.tz
    )
    assert count == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1:] == [
        [str(event_id), "Samen aan tafel", "2026-03-10 19:30", str(FATIMA), "9",
         "wonen, de bus & buren", "2026-03-11 19:30"],
    ]  # fmt: skip


async def test_availability_settings_in_english_and_only_for_facilitators(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await team(repo, clock)
    await feed(message_update(tg_user(EMMA), "/availability"))
    shown = bot_api.take(SendMessage)
    assert shown.text == (
        "🗓 <b>My availability</b>\n\n"
        "You haven't marked any period as unavailable.\n\n"
        "🏷 Favourite themes: any\n"
        "📍 Favourite municipalities: any\n"
        "🔢 At most a month: no maximum\n\n"
        "Add a period: <code>/availability 24-12 tot 2-1</code>\n"
        "Themes: <code>/availability thema ouderen, wonen</code>\n"
        "Municipalities: <code>/availability gemeente Utrecht, Zeist</code>\n"
        "At most a month: tap a number below (∞ = no maximum)."
    )
    assert button_rows(shown.reply_markup) == [["✓ ∞", "1", "2", "3", "4"]]

    await feed(message_update(tg_user(EMMA), "/beschikbaarheid 31-2"))
    assert bot_api.take(SendMessage).text == (
        "I can't read that. Type a day or a period, for example "
        "<code>/availability 24-12</code> or <code>/availability 24-12 tot 2-1</code>."
    )
    await feed(message_update(tg_user(EMMA), "/beschikbaarheid thema ouderen, Housing"))
    assert bot_api.take(SendMessage).text == "Saved."
    assert "🏷 Favourite themes: Older people, Housing" in (bot_api.take(SendMessage).text or "")
    await feed(message_update(tg_user(EMMA), "/beschikbaarheid gemeente utreg, Narnia"))
    assert bot_api.take(SendMessage).text == (
        "I don't know “Narnia”. Separate several with commas."
    )
    await feed(message_update(tg_user(EMMA), "/beschikbaarheid 24-12 tot 2-1"))
    assert bot_api.take(SendMessage).text == "Noted: we won't ask you in that period."
    shown = bot_api.take(SendMessage)
    assert "Not available:\n1. Thu 24 Dec – Sat 2 Jan" in (shown.text or "")
    assert button_rows(shown.reply_markup) == [
        ["🗑 Remove period 1"],
        ["✓ ∞", "1", "2", "3", "4"],
    ]
    period_id = (await repo.facilitators.unavailability(EMMA, clock.now()))[0].id
    await repo.session.commit()
    await feed(
        callback_update(
            tg_user(EMMA), FacSettingsCallback(action=FacSettingsAction.DEL, value=period_id).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Saved."
    assert "You haven't marked any period as unavailable." in (
        bot_api.take(EditMessageText).text or ""
    )

    await add_person(repo, clock, 880_070, role=Role.RESIDENT)
    await feed(message_update(tg_user(880_070), "/beschikbaarheid"))
    assert bot_api.take(SendMessage).text == "Sorry, dit is alleen voor dialoogbegeleiders."
