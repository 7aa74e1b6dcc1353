"""/taal and /language: the picker, storing the choice, and speaking it from then on."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.keyboards.callbacks import LanguageCallback, MenuAction, MenuCallback
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


async def test_taal_shows_both_languages_with_the_current_one_ticked(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(language_code="nl"), "/taal"))

    reply = bot_api.take(SendMessage)
    assert reply.text == "Welke taal wil je? / Which language do you want?"
    assert button_rows(reply.reply_markup) == [["✓ 🇳🇱 Nederlands", "🇬🇧 English"]]


async def test_language_command_works_in_english(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="en"), "/language"))

    reply = bot_api.take(SendMessage)
    assert reply.text == "Which language do you want? / Welke taal wil je?"
    assert button_rows(reply.reply_markup) == [["🇳🇱 Nederlands", "✓ 🇬🇧 English"]]


async def test_choosing_english_is_stored_and_spoken_from_then_on(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/taal"))
    picker = bot_api.take(SendMessage)

    await feed(callback_update(anna, LanguageCallback(code="en").pack()))

    assert bot_api.take(AnswerCallbackQuery).text == "Language changed."
    edited = bot_api.take(EditMessageText)
    assert edited.text == "Which language do you want? / Welke taal wil je?"
    assert button_rows(edited.reply_markup) == [["🇳🇱 Nederlands", "✓ 🇬🇧 English"]]
    confirmation = bot_api.take(SendMessage)
    assert confirmation.text == "From now on I'll speak English with you."
    assert button_rows(confirmation.reply_markup) == [
        ["🔎 Search", "📅 Agenda"],
        ["🗓 My agenda", "➕ New initiative"],
        ["🏠 My initiatives", "🙋 Ask initiatives"],
        ["📚 Knowledge base", "❓ Help"],
        ["🌐 Language"],
    ]
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.language == "en"
    assert picker.reply_markup is not None

    await feed(message_update(anna, "/menu"))
    assert bot_api.take(SendMessage).text == "What do you want to do?"


async def test_choosing_dutch_overrides_an_english_telegram(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(callback_update(emma, LanguageCallback(code="nl").pack()))

    assert bot_api.take(AnswerCallbackQuery).text == "Taal aangepast."
    bot_api.take(EditMessageText)
    assert bot_api.take(SendMessage).text == "Vanaf nu praat ik Nederlands met je."


async def test_forged_language_code_is_refused_and_nothing_stored(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await feed(callback_update(anna, LanguageCallback(code="xx").pack()))

    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "Die taal is er niet." and answer.show_alert
    stored = await repo.users.get(anna.id)
    assert stored is not None and stored.language is None


async def test_menu_language_button_opens_the_picker(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(
        callback_update(
            make_user(language_code="en"), MenuCallback(action=MenuAction.LANGUAGE).pack()
        )
    )

    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Which language do you want? / Welke taal wil je?"
