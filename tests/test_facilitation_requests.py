"""Asking a facilitator and the answer by reply, through the real Dispatcher and the real
sender: /verzoek, certificate gating, a reply "ja" / "kan niet", a plain message with one and
with several open requests, the buttons, asking back when unclear, and withdrawing later."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import FacAnswerCallback, FacDutyAction, FacDutyCallback
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.connections_support import outbox_rows, render
from tests.facilitation_support import (
    EMMA,
    FATIMA,
    PIET,
    SARA,
    confirmed,
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

CARD_NL = (
    "🧑‍🏫 <b>Verzoek om een tafel te begeleiden</b>\n\n"
    "🗣 <b>Samen aan tafel</b>\n"
    "Dialoogtafel · Eenzaamheid\n\n"
    "📅 di 10 mrt, 19:30–21:30\n"
    "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
    "✅ nog 10 plekken\n"
    "🧑‍🏫 begeleider: nog niet bevestigd\n\n"
    "Kun je deze tafel begeleiden? Antwoord met ja of nee op dit bericht."
)


async def _say(feed: Feeder, bot_api: MockedBotAPI, user_id: int, text: str) -> SendMessage:
    await feed(message_update(tg_user(user_id), text))
    return bot_api.take(SendMessage)


async def test_request_by_command_is_confirmed_by_replying_ja(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)

    reply = await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    assert reply.text == (
        "📨 Fatima is gevraagd om <b>Samen aan tafel</b> te begeleiden. Je hoort het antwoord hier."
    )
    [request] = await deliver(sender, bot_api, 1)
    assert (request.chat_id, request.text) == (FATIMA, CARD_NL)
    assert button_rows(request.reply_markup) == [["✅ Ja", "❌ Nee"]]

    rid = await request_id(repo, event_id, FATIMA)
    message_id = await message_id_of(repo, f"facreq:{rid}")
    await feed(reply_update(tg_user(FATIMA), "Ja hoor! 👍", message_id))
    answer = bot_api.take(SendMessage)
    assert answer.text == (
        "🎉 Dank je wel! Jij begeleidt <b>Samen aan tafel</b>.\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Je krijgt de dag ervoor een herinnering. Lukt het toch niet? Tik hieronder."
    )
    assert button_rows(answer.reply_markup) == [["🙅 Ik kan toch niet"]]
    assert await requests_of(repo, event_id) == [(FATIMA, "accepted")]
    assert await confirmed(repo, event_id) == 1
    assert await outbox_of(repo, f"facreq-nudge:{rid}") == [
        (f"facreq-nudge:{rid}", FATIMA, "cancelled")
    ]
    assert await outbox_of(repo, "facrota:") == [(f"facrota:{rid}:v1", FATIMA, "pending")]
    assert await outbox_of(repo, "facdebrief:") == [(f"facdebrief:{rid}:v1", FATIMA, "pending")]

    [told] = await deliver(sender, bot_api, 1)
    assert (told.chat_id, told.text) == (
        COORDINATOR_ID,
        "✅ Fatima begeleidt <b>Samen aan tafel</b> (di 10 mrt, 19:30–21:30).",
    )


async def test_reply_kan_niet_declines_and_the_coordinator_can_ask_someone_else(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} Piet")
    await deliver(sender, bot_api, 1)
    rid = await request_id(repo, event_id, PIET)

    await feed(
        reply_update(
            tg_user(PIET), "Sorry, kan helaas niet", await message_id_of(repo, f"facreq:{rid}")
        )
    )
    assert bot_api.take(SendMessage).text == (
        "Dank je wel dat je het laat weten. We vragen iemand anders."
    )
    assert await requests_of(repo, event_id) == [(PIET, "declined")]
    assert await confirmed(repo, event_id) == 0
    [told] = await deliver(sender, bot_api, 1)
    assert (
        told.text == "❌ Piet kan <b>Samen aan tafel</b> niet begeleiden (di 10 mrt, 19:30–21:30)."
    )
    assert button_rows(told.reply_markup) == [["📣 Open oproep", "🙋 Iemand vragen"]]


async def test_unclear_reply_is_asked_back_never_guessed(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} {EMMA}")
    [request] = await deliver(sender, bot_api, 1)
    assert request.text.startswith(
        "🧑‍🏫 <b>Request to lead a table</b>\n\n🗣 <b>Samen aan tafel</b>"
    )
    assert request.text.endswith("Can you lead this table? Answer yes or no to this message.")
    rid = await request_id(repo, event_id, EMMA)
    message_id = await message_id_of(repo, f"facreq:{rid}")

    for unclear in ("nee hoor, ik kan wel", "where is it?"):
        await feed(reply_update(tg_user(EMMA), unclear, message_id))
        asked = bot_api.take(SendMessage)
        assert asked.text == (
            "I'm not sure what you mean. Can you lead <b>Samen aan tafel</b>?\n"
            "📅 Tue 10 Mar, 19:30–21:30\n"
            "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
            "Tap Yes or No, or answer yes or no."
        )
        assert button_rows(asked.reply_markup) == [["✅ Yes", "❌ No"]]
    assert await requests_of(repo, event_id) == [(EMMA, "pending")]

    await feed(callback_update(tg_user(EMMA), FacAnswerCallback(request_id=rid, yes=True).pack()))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text.startswith(
        "🎉 Thank you! You lead <b>Samen aan tafel</b>."
    )
    assert await requests_of(repo, event_id) == [(EMMA, "accepted")]


async def test_plain_message_answers_the_one_open_request(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    await deliver(sender, bot_api, 1)

    reply = await _say(feed, bot_api, FATIMA, "Oké, doe ik!")
    assert reply.text.startswith("🎉 Dank je wel! Jij begeleidt <b>Samen aan tafel</b>.")
    assert await requests_of(repo, event_id) == [(FATIMA, "accepted")]
    # Nothing open any more: a plain "ja" is not taken as an answer (the fallback answers it).
    await feed(message_update(tg_user(FATIMA), "ja"))
    assert "Dank je wel" not in (bot_api.take(SendMessage).text or "")


async def test_a_reply_to_another_bot_message_is_not_taken_as_the_answer(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    from tests.factories import make_message

    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    await deliver(sender, bot_api, 1)

    # "ja" as a reply to some other message of the bot (say, a relayed question) is meant there.
    other = make_message(tg_user(FATIMA), "Mogen we je iets vragen?")
    await feed(message_update(tg_user(FATIMA), "ja", reply_to_message=other))
    bot_api.take_all()
    assert await requests_of(repo, event_id) == [(FATIMA, "pending")]


async def test_plain_message_with_several_open_requests_asks_which_table(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    from datetime import timedelta

    from tests.event_helpers import START_DEFAULT

    await team(repo, clock)
    first = await table(repo, clock)
    first_id = first.id
    second = await table(
        repo, clock, title="Wonen in de wijk", starts_at=START_DEFAULT + timedelta(days=2)
    )
    second_id = second.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {first_id} @fatima")
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {second_id} @fatima")
    await deliver(sender, bot_api, 2)

    which = await _say(feed, bot_api, FATIMA, "nee sorry")
    assert which.text == "Voor welke tafel zeg je nee?"
    assert button_rows(which.reply_markup) == [
        ["Samen aan tafel · di 10 mrt"],
        ["Wonen in de wijk · do 12 mrt"],
    ]
    assert await requests_of(repo, first_id) == [(FATIMA, "pending")]
    unclear = await _say(feed, bot_api, FATIMA, "misschien")
    assert unclear.text == (
        "Je hebt 2 open verzoeken. Antwoord met ja of nee op het verzoek van de tafel die je "
        "bedoelt, of gebruik de knoppen eronder."
    )

    data = which.reply_markup.inline_keyboard[1][0].callback_data  # type: ignore[union-attr]
    await feed(callback_update(tg_user(FATIMA), data))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert (
        bot_api.take(SendMessage).text
        == "Dank je wel dat je het laat weten. We vragen iemand anders."
    )
    assert await requests_of(repo, first_id) == [(FATIMA, "pending")]
    assert await requests_of(repo, second_id) == [(FATIMA, "declined")]


async def test_requests_are_refused_with_the_reason(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await team(repo, clock)
    kinder = await table(repo, clock, title="Kindertafel")
    kinder_id = kinder.id
    async with repo.write():
        stored = await repo.events.get(kinder_id)
        assert stored is not None
        stored.facilitator_level = "kinder"

    refused = await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {kinder_id} @fatima")
    assert refused.text == (
        "Fatima kan deze tafel niet begeleiden: daarvoor is het certificaat Kinder nodig, en dat "
        "heeft Fatima niet. Klopt dat niet? Leg het certificaat vast met /certificeer."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {kinder_id} {SARA}")).text == (
        "📨 Sara is gevraagd om <b>Kindertafel</b> te begeleiden. Je hoort het antwoord hier."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {kinder_id} Sara")).text == (
        "Sara is al gevraagd en heeft nog niet geantwoord."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {kinder_id} @nobody")).text == (
        "Ik ken @nobody niet. Gebruik de @gebruikersnaam, het Telegram-nummer of, bij een "
        "begeleider, de voornaam. Diegene moet de bot één keer gestart hebben."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, "/verzoek 999 @fatima")).text == (
        "Er is geen tafel met nummer 999."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, "/verzoek")).text == (
        "Zet er het nummer van de tafel en de begeleider achter, bijvoorbeeld: "
        "<code>/verzoek 12 @fatima</code>"
    )
    # /certificeer records the certificate (and the log says who did it); then it works.
    assert (await _say(feed, bot_api, COORDINATOR_ID, "/certificeer @fatima kinder")).text == (
        "🎓 Fatima heeft nu het certificaat Kinder."
    )
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {kinder_id} fatima")).text == (
        "📨 Fatima is gevraagd om <b>Kindertafel</b> te begeleiden. Je hoort het antwoord hier."
    )
    entries = await repo.audit.latest(10)
    assert [(e.action, e.actor_id) for e in entries][:3] == [
        ("facilitation.request", COORDINATOR_ID),
        ("certificate.grant", COORDINATOR_ID),
        ("facilitation.request", COORDINATOR_ID),
    ]
    await repo.session.commit()
    async with repo.write():
        await repo.users.set_reachable(PIET, False, clock.now())
    plain = (await table(repo, clock, title="Gewone tafel")).id
    assert (await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {plain} Piet")).text == (
        "Piet heeft de bot geblokkeerd, dus een verzoek komt niet aan."
    )
    # Residents and facilitators can't ask.
    await feed(message_update(tg_user(FATIMA), f"/verzoek {kinder_id} Piet"))
    assert bot_api.take(SendMessage).text == "Sorry, dit kunnen alleen coördinatoren doen."


async def test_withdrawing_later_frees_the_seat_and_alerts_the_coordinators(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    event = await table(repo, clock)
    event_id = event.id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    await deliver(sender, bot_api, 1)
    rid = await request_id(repo, event_id, FATIMA)
    await _say(feed, bot_api, FATIMA, "ja")
    await deliver(sender, bot_api, 1)  # Kees hears the yes

    agenda = await _say(feed, bot_api, FATIMA, "/mijnagenda")
    assert agenda.text == (
        "🗓 <b>Mijn agenda</b>\n\n"
        "1. 🗣 <b>Samen aan tafel</b>\n    di 10 mrt, 19:30–21:30 · Utrecht\n"
        "    🧑‍🏫 jij begeleidt deze tafel"
    )
    assert button_rows(agenda.reply_markup) == [["📆 Agenda 1", "🙅 Ik kan niet 1"]]

    await feed(
        callback_update(
            tg_user(FATIMA), FacDutyCallback(action=FacDutyAction.WITHDRAW, request_id=rid).pack()
        )
    )
    bot_api.take(AnswerCallbackQuery)
    confirm = bot_api.take(SendMessage)
    assert confirm.text == (
        "Weet je zeker dat je deze tafel niet kunt begeleiden? We laten het de coördinatoren weten."
    )
    data = confirm.reply_markup.inline_keyboard[0][0].callback_data  # type: ignore[union-attr]
    await feed(callback_update(tg_user(FATIMA), data))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "Dank je wel dat je het laat weten. Je begeleidt <b>Samen aan tafel</b> niet meer; "
        "de coördinatoren zoeken iemand anders."
    )
    assert await requests_of(repo, event_id) == [(FATIMA, "withdrawn")]
    assert await confirmed(repo, event_id) == 0
    assert [status for _k, _r, status in await outbox_of(repo, "facrota:")] == ["cancelled"]
    assert [status for _k, _r, status in await outbox_of(repo, "facdebrief:")] == ["cancelled"]

    [alert] = await deliver(sender, bot_api, 1)
    assert (alert.chat_id, alert.text) == (
        COORDINATOR_ID,
        "⚠️ Fatima kan <b>Samen aan tafel</b> niet meer begeleiden.\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n"
        "🧑‍🏫 0 van 1 begeleiders bevestigd",
    )
    assert button_rows(alert.reply_markup) == [["📣 Open oproep", "🙋 Iemand vragen"]]


async def test_a_thumbs_up_sticker_as_reply_is_a_yes(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    from aiogram.types import Sticker

    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    await deliver(sender, bot_api, 1)
    rid = await request_id(repo, event_id, FATIMA)
    sticker = Sticker(
        file_id="s", file_unique_id="s", type="regular", width=512, height=512,
        is_animated=False, is_video=False, emoji="👍",
    )  # fmt: skip
    await feed(
        reply_update(
            tg_user(FATIMA), None, await message_id_of(repo, f"facreq:{rid}"), sticker=sticker
        )
    )
    assert bot_api.take(SendMessage).text.startswith("🎉 Dank je wel!")  # type: ignore[union-attr]
    assert await requests_of(repo, event_id) == [(FATIMA, "accepted")]


async def test_a_table_that_started_or_took_place_gets_no_more_requests(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await team(repo, clock)
    over = (await table(repo, clock, title="Gisteren")).id
    clock.advance(timedelta(days=30))  # the table has taken place
    reply = await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {over} @fatima")
    assert reply.text == "Deze tafel is al begonnen."
    assert [entry.action for entry in await repo.audit.latest(10)] == ["event.create"]


async def test_a_coordinator_takes_a_certificate_back_with_a_reason(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    await team(repo, clock)
    assert (await _say(feed, bot_api, COORDINATOR_ID, "/certificeer @fatima kinder")).text == (
        "🎓 Fatima heeft nu het certificaat Kinder."
    )
    said = await _say(
        feed, bot_api, COORDINATOR_ID, "/intrekken @fatima kinder per ongeluk vastgelegd"
    )
    assert said.text == (
        "🎓 Het certificaat Kinder van Fatima is ingetrokken. Ik heb het Fatima laten weten, "
        "met de reden."
    )
    assert "kinder" not in await repo.events.certificate_levels(FATIMA)
    entries = await repo.audit.latest(1)
    assert [(e.action, e.details) for e in entries] == [
        ("certificate.revoke", {"level": "kinder", "reason": "per ongeluk vastgelegd"})
    ]
    (told,) = await outbox_rows(repo, "certificate.revoked")
    shown = await render(repo, told, settings, clock.now(), "nl")
    assert shown is not None and shown.text == (
        "🎓 Een coördinator heeft je certificaat Kinder ingetrokken. Reden: per ongeluk vastgelegd"
    )
    await repo.session.commit()
    again = await _say(feed, bot_api, COORDINATOR_ID, "/revoke @fatima kinder oops")
    assert again.text == "Fatima heeft het certificaat Kinder niet."
    usage = await _say(feed, bot_api, COORDINATOR_ID, "/intrekken @fatima")
    assert usage.text.startswith("Zet erachter wie, welk certificaat")


async def test_a_reply_to_the_question_back_is_the_answer(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    from aiogram.types import Chat, Message

    from tests.mocked_bot import BOT_USER

    await team(repo, clock)
    first = (await table(repo, clock)).id
    second = (await table(repo, clock, title="Tweede tafel")).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    for event_id in (first, second):  # two open requests: a plain "ja" alone is ambiguous
        await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} {EMMA}")
    await deliver(sender, bot_api, 2)
    rid = await request_id(repo, first, EMMA)
    message_id = await message_id_of(repo, f"facreq:{rid}")

    await feed(reply_update(tg_user(EMMA), "where is it?", message_id))
    asked = bot_api.take(SendMessage)
    assert asked.text.startswith("I'm not sure what you mean. Can you lead <b>Samen aan tafel</b>?")
    question_back = Message(
        message_id=message_id + 1000,
        date=asked_date(),
        chat=Chat(id=EMMA, type="private"),
        from_user=BOT_USER,
        text=asked.text,
        reply_markup=asked.reply_markup,
    )
    await feed(message_update(tg_user(EMMA), "ja", reply_to_message=question_back))
    assert bot_api.take(SendMessage).text.startswith(
        "🎉 Thank you! You lead <b>Samen aan tafel</b>."
    )
    assert await requests_of(repo, first) == [(EMMA, "accepted")]
    assert await requests_of(repo, second) == [(EMMA, "pending")]


def asked_date() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_facilitators_hear_at_once_when_their_table_moves_or_is_called_off(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    from bot.keyboards.callbacks import FacDutyAction, FacDutyCallback
    from bot.services.events import admin as event_admin
    from bot.services.events.changes import EventChanges, change_event

    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    await _say(feed, bot_api, COORDINATOR_ID, f"/verzoek {event_id} @fatima")
    await deliver(sender, bot_api, 1)
    rid = await request_id(repo, event_id, FATIMA)
    await feed(reply_update(tg_user(FATIMA), "ja", await message_id_of(repo, f"facreq:{rid}")))
    bot_api.take(SendMessage)
    await deliver(sender, bot_api, 1)  # the coordinator hears the yes

    event = await repo.events.get(event_id)
    assert event is not None
    later = event.starts_at + timedelta(days=1)
    await repo.session.commit()
    await change_event(
        repo, event_id, EventChanges(starts_at=later, ends_at=later + timedelta(hours=2)),
        actor_id=COORDINATOR_ID, now=clock.now(),
    )  # fmt: skip
    assert await outbox_of(repo, "facmoved:") == [(f"facmoved:{rid}:2", FATIMA, "pending")]
    [moved] = await deliver(sender, bot_api, 1)  # urgent: at once, also at night
    assert moved.chat_id == FATIMA
    assert moved.text.startswith(
        "📣 De tafel die jij begeleidt is verplaatst: <b>Samen aan tafel</b>\n📅 wo 11 mrt"
    )
    assert moved.text.endswith("Kun je hem nog steeds begeleiden?")
    assert button_rows(moved.reply_markup) == [
        ["✅ Ja, ik kan nog steeds", "❌ Nee, nu kan ik niet"]
    ]

    still = FacDutyCallback(action=FacDutyAction.STILL_ON, request_id=rid).pack()
    await feed(callback_update(tg_user(FATIMA), still))
    bot_api.take(AnswerCallbackQuery), bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == "Fijn, dank je wel! Tot bij <b>Samen aan tafel</b>."
    [seen] = await deliver(sender, bot_api, 1)
    assert (seen.chat_id, seen.text) == (
        COORDINATOR_ID,
        "✅ Fatima kan <b>Samen aan tafel</b> ook op de nieuwe tijd of plek begeleiden.",
    )

    await event_admin.cancel_event(repo, event_id, actor_id=COORDINATOR_ID, now=clock.now())
    # At once, in the same transaction as the call-off; not at the job's next round.
    assert await outbox_of(repo, "faccancel:") == [(f"faccancel:{rid}", FATIMA, "pending")]
    assert await requests_of(repo, event_id) == [(FATIMA, "cancelled")]


def test_a_revocation_reads_the_person_the_certificate_and_the_reason() -> None:
    from bot.services.facilitation.pool import revocation_parts

    assert revocation_parts("@fatima kinder recorded by mistake") == (
        "@fatima",
        "kinder",
        "recorded by mistake",
    )
    assert revocation_parts("Fatima el Amrani Basis wrong person") == (
        "Fatima el Amrani",
        "basis",
        "wrong person",
    )
    assert revocation_parts("@fatima kinder") is None  # no reason
    assert revocation_parts("kinder because") is None  # no person
    assert revocation_parts("@fatima because") is None  # no certificate
