"""Talking to a Bot API server for real: long polling against TELEGRAM_API_URL, the webhook's
secret-token check, and the command menu registered at start-up."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import SetMyCommands
from aiogram.types import (
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_application
from bot.bot_api_session import JsonBodySession
from bot.commands import register_commands
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.lifecycle import prepare_database
from bot.runner import WEBHOOK_PATH, run_polling, webhook_app
from tests.fake_telegram import FakeTelegram, start_update
from tests.mocked_bot import MockedBotAPI

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


def _settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 't.db'}",
        **extra,
    )


async def test_bot_long_polls_the_configured_api_server_and_answers_start(tmp_path: Path) -> None:
    async with FakeTelegram() as api:
        settings = _settings(tmp_path, telegram_api_url=api.url)
        await prepare_database(settings, demo_data=False)
        app = create_application(settings)
        await api.updates.put(start_update(1, 5001))
        polling = asyncio.create_task(run_polling(app))
        try:
            for _ in range(100):
                if api.sent_of("sendMessage"):
                    break
                await asyncio.sleep(0.05)
        finally:
            await app.dispatcher.stop_polling()
            await asyncio.wait_for(polling, 10)
            await app.bot.session.close()
            await app.engine.dispose()

    [reply] = api.sent_of("sendMessage")
    assert int(reply.payload["chat_id"]) == 5001
    assert reply.payload["text"].startswith("Hoi Anna! 👋 Welkom bij <b>Samenspel</b>.")
    assert json.loads(reply.payload["reply_markup"])["inline_keyboard"][0][0]["text"] == "🔎 Zoeken"
    languages = sorted(str(s.payload.get("language_code")) for s in api.sent_of("setMyCommands"))
    assert languages == ["None", "en", "nl"]


async def test_a_method_goes_as_one_json_object_and_an_upload_as_a_form() -> None:
    """The fields a form would carry, as one JSON object: nested objects as JSON text, numbers
    and yes/no as the form writes them; a file still goes as a multipart form."""
    text = "Hoi <b>Anna</b> 👋 – 100% “welkom” & meer\nRegel 2"
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="🔎 Zoeken “tuin”", callback_data="s:1")]]
    )
    async with FakeTelegram() as api:
        session = JsonBodySession()
        session.api = TelegramAPIServer.from_base(api.url)
        bot = Bot(TOKEN, session=session)
        try:
            sent = await bot.send_message(
                5001, text, reply_markup=markup, disable_notification=True
            )
            await bot.send_document(
                5001, BufferedInputFile(b"BEGIN:VCALENDAR", filename="tafel.ics"), caption="Agenda"
            )
        finally:
            await session.close()
    assert sent.chat.id == 5001
    message, document = api.sent
    assert message.content_type == "application/json"
    assert set(message.payload) == {"chat_id", "text", "reply_markup", "disable_notification"}
    assert message.payload["chat_id"] == "5001"
    assert message.payload["text"] == text
    assert message.payload["disable_notification"] == "true"
    assert json.loads(message.payload["reply_markup"]) == {
        "inline_keyboard": [[{"text": "🔎 Zoeken “tuin”", "callback_data": "s:1"}]]
    }
    assert document.method == "sendDocument"
    assert document.content_type == "multipart/form-data"
    assert document.payload["caption"] == "Agenda"
    assert document.payload["document"].startswith("attach://")  # the file is its own part


async def test_webhook_refuses_a_wrong_secret_and_answers_the_right_one(tmp_path: Path) -> None:
    async with FakeTelegram() as api:
        settings = _settings(
            tmp_path,
            telegram_api_url=api.url,
            webhook_url="https://bot.example.org",
            webhook_secret="s3cret-token",
        )
        await prepare_database(settings, demo_data=False)
        app = create_application(settings)
        client = TestClient(TestServer(webhook_app(app)))
        await client.start_server()
        try:
            update = start_update(7, 5002)
            wrong = await client.post(
                WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert wrong.status == 401
            right = await client.post(
                WEBHOOK_PATH,
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
            )
            assert right.status == 200
        finally:
            await client.close()
            await app.engine.dispose()

    [hook] = api.sent_of("setWebhook") or [None]
    assert hook is None  # setWebhook is answered, not recorded
    [reply] = api.sent_of("sendMessage")
    assert int(reply.payload["chat_id"]) == 5002


async def test_command_menu_is_registered_in_dutch_and_english(
    i18n: CatalogI18n, bot_api: MockedBotAPI, bot: object
) -> None:
    await register_commands(bot, i18n, [])  # type: ignore[arg-type]
    default, dutch, english = (bot_api.take(SetMyCommands) for _ in range(3))
    assert default.language_code is None and dutch.language_code == "nl"
    assert [(c.command, c.description) for c in dutch.commands] == [
        ("start", "Opnieuw beginnen"),
        ("menu", "Alles op een rij"),
        ("help", "Zo werkt het"),
        ("zoek", "Initiatieven zoeken"),
        ("kennis", "Kennisbank: regels en praktische tips"),
        ("agenda", "Tafels, trainingen en ontmoetingen"),
        ("tafels", "Komende dialoogtafels"),
        ("trainingen", "Komende trainingen"),
        ("mijnagenda", "Jouw aanmeldingen"),
        ("mijnstatus", "Je telling van late afmeldingen"),
        ("nieuw", "Je initiatief toevoegen"),
        ("mijn", "Jouw initiatieven"),
        ("vraag", "Stel andere initiatieven een vraag"),
        ("helpen", "Help andere initiatieven"),
        ("taal", "Kies je taal"),
        ("instellingen", "Weekoverzicht en andere instellingen"),
        ("geenmededelingen", "Geen mededelingen meer van de coördinatoren"),
        ("privacy", "Wat we over je bewaren, en waarom"),
        ("mijngegevens", "Al je gegevens downloaden als bestand"),
        ("verwijder", "Verwijder al je gegevens"),
    ]
    assert english.language_code == "en"
    assert [(c.command, c.description) for c in english.commands] == [
        ("start", "Start and get the welcome"),
        ("menu", "Everything at a glance"),
        ("help", "How it works"),
        ("search", "Search initiatives"),
        ("knowledge", "Knowledge base: rules and practical tips"),
        ("agenda", "Tables, trainings and meetups"),
        ("tables", "Upcoming dialogue tables"),
        ("trainings", "Upcoming trainings"),
        ("myagenda", "Your sign-ups"),
        ("mystatus", "Your record of late cancellations"),
        ("new", "Add your initiative"),
        ("mine", "Your initiatives"),
        ("ask", "Ask other initiatives a question"),
        ("help_others", "Offer help to other initiatives"),
        ("language", "Choose your language"),
        ("settings", "Weekly overview and other settings"),
        ("noannouncements", "No more announcements from the coordinators"),
        ("privacy", "What we keep about you, and why"),
        ("mydata", "Download all your data as a file"),
        ("delete", "Delete all your data"),
    ]


async def test_a_failing_command_menu_is_logged_and_the_bot_goes_on(
    i18n: CatalogI18n, bot_api: MockedBotAPI, bot: object, caplog: pytest.LogCaptureFixture
) -> None:
    bot_api.will_return(TelegramNetworkError(method=SetMyCommands(commands=[]), message="down"))
    with caplog.at_level(logging.WARNING, logger="bot.commands"):
        await register_commands(bot, i18n, [111])  # type: ignore[arg-type]
    bot_api.take(SetMyCommands)
    assert not bot_api.calls
    assert "could not register the command menu" in caplog.text


async def test_coordinators_get_their_own_menu_scope(
    i18n: CatalogI18n, bot_api: MockedBotAPI, bot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_commands(bot, i18n, [111], [222])  # type: ignore[arg-type]
    calls = [bot_api.take(SetMyCommands) for _ in range(7)]
    assert [(c.scope, c.language_code) for c in calls[3:]] == [
        (BotCommandScopeChat(chat_id=111), "nl"),
        (BotCommandScopeChat(chat_id=111), "en"),
        (BotCommandScopeChat(chat_id=222), "nl"),
        (BotCommandScopeChat(chat_id=222), "en"),
    ]
    coordinator_nl, coordinator_en, facilitator_nl, facilitator_en = (
        [c.command for c in call.commands] for call in calls[3:]
    )
    assert {"beschikbaarheid", "bericht", "stats", "wijzig"} <= set(coordinator_nl)
    assert {"availability", "broadcast", "stats", "change"} <= set(coordinator_en)
    assert facilitator_nl[-1] == "beschikbaarheid" and "bericht" not in facilitator_nl
    assert facilitator_en[-1] == "availability" and "broadcast" not in facilitator_en


async def test_webhook_without_a_configured_secret_still_refuses_forged_updates(
    tmp_path: Path,
) -> None:
    """No WEBHOOK_SECRET: the secret is derived from the bot token (so every process agrees),
    registered with setWebhook, and a POST without it is refused before any handler runs."""
    async with FakeTelegram() as api:
        settings = _settings(tmp_path, telegram_api_url=api.url, webhook_url="https://bot.example")
        await prepare_database(settings, demo_data=False)
        app = create_application(settings)
        client = TestClient(TestServer(webhook_app(app)))
        await client.start_server()
        try:
            forged = await client.post(WEBHOOK_PATH, json=start_update(11, 5003))
            derived = settings.effective_webhook_secret
            other = _settings(tmp_path, webhook_url="https://bot.example")
            header = {"X-Telegram-Bot-Api-Secret-Token": derived}
            right = await client.post(WEBHOOK_PATH, json=start_update(12, 5004), headers=header)
            garbage = await client.post(WEBHOOK_PATH, data=b"{not json", headers=header)
            not_an_update = await client.post(WEBHOOK_PATH, json=[1, 2], headers=header)
            for _ in range(100):
                if api.sent_of("sendMessage"):
                    break
                await asyncio.sleep(0.05)
        finally:
            await client.close()
            await app.bot.session.close()
            await app.engine.dispose()

    assert forged.status == 401
    assert right.status == 200
    assert (garbage.status, not_an_update.status) == (400, 400)
    assert len(derived) >= 32 and TOKEN not in derived and TOKEN.split(":")[1] not in derived
    assert other.effective_webhook_secret == derived  # a second process agrees
    assert [int(m.payload["chat_id"]) for m in api.sent_of("sendMessage")] == [5004]


def test_a_configured_webhook_secret_is_used_as_it_is(tmp_path: Path) -> None:
    settings = _settings(tmp_path, webhook_url="https://bot.example", webhook_secret="mine-123")
    assert settings.effective_webhook_secret == "mine-123"
