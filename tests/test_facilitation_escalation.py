"""The whole timeline with a fake clock and the real sender: the request, one reminder after
48 hours without an answer, the coordinators' alert once the table is within 72 hours without
its facilitator (once), a no by reply to the reminder, an open call from the alert, the own
reminder the day before, a called-off table, and the debrief after the table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.services.events import admin as event_admin
from scheduler.context import JobContext
from scheduler.facilitation import run_facilitation_job
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.facilitation_support import (
    FATIMA,
    PIET,
    SARA,
    deliver,
    message_id_of,
    outbox_of,
    reply_update,
    request_id,
    requests_of,
    sender_for,
    table,
    team,
    tg_user,
)
from tests.factories import callback_update, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

# Saturday 7 March 2026, 19:30–21:30 in Amsterdam.
SATURDAY = datetime(2026, 3, 7, 18, 30, tzinfo=UTC)


async def test_unanswered_request_is_chased_escalated_and_filled_by_an_open_call(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event_id = (await table(repo, clock, starts_at=SATURDAY)).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    job = JobContext(session_pool, clock, settings)

    await feed(message_update(tg_user(COORDINATOR_ID), f"/verzoek {event_id} @fatima"))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)
    fatima = await request_id(repo, event_id, FATIMA)

    # 47 hours later: no reminder yet, and the table (3.5 days away) is no alert yet.
    clock.advance(timedelta(hours=47))
    await run_facilitation_job(job)
    await deliver(sender, bot_api, 0)
    # After 48 hours: one reminder.
    clock.advance(timedelta(hours=1))
    await run_facilitation_job(job)
    [nudge] = await deliver(sender, bot_api, 1)
    assert (nudge.chat_id, nudge.text) == (
        FATIMA,
        "⏰ We hebben nog niets van je gehoord: kun je <b>Samen aan tafel</b> begeleiden?\n"
        "📅 za 7 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Antwoord met ja of nee op dit bericht, of tik op een knop.",
    )
    assert button_rows(nudge.reply_markup) == [["✅ Ja", "❌ Nee"]]
    clock.advance(timedelta(days=1))
    await deliver(sender, bot_api, 0)  # only one reminder

    # Within 72 hours of the table and nobody confirmed: the coordinators, once.
    clock.set(SATURDAY - timedelta(hours=71))
    await run_facilitation_job(job)
    [alert] = await deliver(sender, bot_api, 1)
    assert (alert.chat_id, alert.text) == (
        COORDINATOR_ID,
        "⚠️ <b>Samen aan tafel</b> komt eraan en heeft nog geen begeleider.\n"
        "📅 za 7 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
        "🧑‍🏫 0 van 1 begeleiders bevestigd",
    )
    assert button_rows(alert.reply_markup) == [["📣 Open oproep", "🙋 Iemand vragen"]]
    clock.advance(timedelta(minutes=10))
    await run_facilitation_job(job)
    await deliver(sender, bot_api, 0)

    # Fatima answers the reminder by reply: no. Kees hears it.
    await feed(
        reply_update(
            tg_user(FATIMA), "nee, helaas", await message_id_of(repo, f"facreq-nudge:{fatima}")
        )
    )
    assert (
        bot_api.take(SendMessage).text
        == "Dank je wel dat je het laat weten. We vragen iemand anders."
    )
    [told] = await deliver(sender, bot_api, 1)
    assert (
        told.text == "❌ Fatima kan <b>Samen aan tafel</b> niet begeleiden (za 7 mrt, 19:30–21:30)."
    )

    # [Ask someone] shows the table's facilitators; [Open call] invites the others.
    await feed(
        callback_update(
            tg_user(COORDINATOR_ID), alert.reply_markup.inline_keyboard[0][1].callback_data
        )
    )  # type: ignore[union-attr,arg-type]
    bot_api.take(AnswerCallbackQuery)
    panel = bot_api.take(SendMessage)
    assert panel.text == (
        "🧑‍🏫 <b>Begeleiders: Samen aan tafel</b>\n"
        "📅 za 7 mrt, 19:30–21:30 · Utrecht\n"
        "🎓 Je hebt dit certificaat nodig: Basis\n"
        "✅ 0 van 1 begeleiders bevestigd\n\n"
        "Gevraagd:\n"
        "• Fatima — ❌ nee\n\n"
        "Vrij om te vragen, met dit certificaat: 3"
    )
    assert button_rows(panel.reply_markup) == [
        ["🙋 Vraag Piet"],
        ["🙋 Vraag Sara"],
        ["🙋 Vraag Emma"],
        ["📣 Open oproep"],
        ["✓ Basis", "Kinder", "Spannend"],
        ["➖", "1 nodig", "➕"],
    ]
    await feed(
        callback_update(
            tg_user(COORDINATOR_ID), alert.reply_markup.inline_keyboard[0][0].callback_data
        )
    )  # type: ignore[union-attr,arg-type]
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith(
        "📣 Open oproep voor <b>Samen aan tafel</b> gestuurd naar 3 begeleiders."
    )  # type: ignore[union-attr]
    offers = await deliver(sender, bot_api, 3)
    piet = await request_id(repo, event_id, PIET)
    piet_offer = next(offer for offer in offers if offer.chat_id == PIET)
    await feed(
        callback_update(tg_user(PIET), piet_offer.reply_markup.inline_keyboard[0][0].callback_data)
    )  # type: ignore[union-attr,arg-type]
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text.startswith("🎉 Dank je wel! Jij begeleidt")  # type: ignore[union-attr]
    [told] = await deliver(sender, bot_api, 1)
    assert told.text == "✅ Piet begeleidt <b>Samen aan tafel</b> (za 7 mrt, 19:30–21:30)."
    statuses = dict(await requests_of(repo, event_id))
    assert statuses[PIET] == "accepted" and statuses[SARA] == "filled"

    # The day before: Piet's own reminder. After the table (at night): the debrief, in the
    # morning.
    clock.set(SATURDAY - timedelta(hours=24))
    await run_facilitation_job(job)
    [reminder] = await deliver(sender, bot_api, 1)
    assert (reminder.chat_id, reminder.text) == (
        PIET,
        "⏰ Herinnering: jij begeleidt <b>Samen aan tafel</b>.\n"
        "📅 za 7 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
        "🙋 0 mensen aangemeld.\n\n"
        "Fijn dat je deze tafel begeleidt!",
    )
    assert button_rows(reminder.reply_markup) == [["🙅 Ik kan toch niet"]]
    clock.set(SATURDAY + timedelta(hours=2, minutes=30))
    await deliver(sender, bot_api, 0)  # 22:00 in Amsterdam: quiet hours
    clock.set(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))
    [debrief] = await deliver(sender, bot_api, 1)
    assert (debrief.chat_id, debrief.text) == (
        PIET,
        "🙏 Dank je wel voor het begeleiden van <b>Samen aan tafel</b>! Hoe ging het?\n\n"
        "Antwoord op dit bericht met hoeveel mensen er kwamen en in een paar woorden waar het "
        "over ging. Bijvoorbeeld: <code>9 - wonen, de bus, buren</code>",
    )
    assert await outbox_of(repo, "alert:facmissing:") == [
        (f"alert:facmissing:{event_id}:{COORDINATOR_ID}", COORDINATOR_ID, "sent")
    ]
    assert piet


async def test_called_off_table_ends_requests_and_tells_the_facilitator(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await feed(message_update(tg_user(COORDINATOR_ID), f"/verzoek {event_id} @fatima"))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)
    await feed(message_update(tg_user(FATIMA), "ja"))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)

    await event_admin.cancel_event(repo, event_id, actor_id=None, now=clock.now())
    await run_facilitation_job(JobContext(session_pool, clock, settings))
    [told] = await deliver(sender, bot_api, 1)
    assert (told.chat_id, told.text) == (
        FATIMA,
        "❌ <b>Samen aan tafel</b> op di 10 mrt, 19:30–21:30 gaat niet door. "
        "Je hoeft hem dus niet te begeleiden.",
    )
    assert await requests_of(repo, event_id) == [(FATIMA, "cancelled")]
    assert [status for *_rest, status in await outbox_of(repo, "facrota:")] == ["cancelled"]
    clock.advance(timedelta(days=30))
    await run_facilitation_job(JobContext(session_pool, clock, settings))
    await deliver(sender, bot_api, 0)
