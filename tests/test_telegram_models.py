"""aiogram's Telegram models are built when first used, not all at import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.factories import callback_update, make_user, message_update


def _run(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_starting_the_bot_builds_only_the_models_of_everyday_updates() -> None:
    built = _run(
        """
        import bot.app, bot.cli.main, bot.runner, handlers
        from aiogram import methods, types
        from bot.app import create_application
        from bot.config import Settings

        create_application(Settings(_env_file=None, bot_token="123456:" + "A" * 35))
        models = [
            model
            for module in (types, methods)
            for model in vars(module).values()
            if isinstance(model, type) and hasattr(model, "__pydantic_complete__")
        ]
        print(len(models), sum(model.__pydantic_complete__ for model in models))
        print(types.Sticker.__pydantic_complete__, methods.SendSticker.__pydantic_complete__)
        print(types.Update.__pydantic_complete__, methods.EditMessageText.__pydantic_complete__)
        """
    )
    total, complete = int(built[0]), int(built[1])
    assert total > 400
    assert complete < total // 4
    assert built[2:] == ["False", "False", "True", "True"]  # an update and its answers: ready


def test_every_model_of_aiogram_can_still_be_built() -> None:
    """Each model finds every type it names, whichever is used first."""
    failed = _run(
        """
        import bot
        from aiogram import methods, types

        for module in (methods, types):
            for name, model in sorted(vars(module).items()):
                if isinstance(model, type) and hasattr(model, "model_rebuild"):
                    try:
                        model.model_rebuild(force=True)
                    except Exception as error:
                        print(name, type(error).__name__)
        print("done")
        """
    )
    assert failed == ["done"]


@pytest.mark.parametrize("first", ["message", "callback"])
def test_an_update_is_read_whole_when_it_is_the_first_model_used(first: str) -> None:
    user = make_user()
    update = (
        message_update(user, "hallo") if first == "message" else callback_update(user, "m:menu")
    )
    payload = update.model_dump_json(exclude_none=True, by_alias=True)
    read = _run(
        f"""
        import bot
        from aiogram.types import Update

        update = Update.model_validate_json({payload!r})
        event = update.message or update.callback_query
        print(update.update_id, event.from_user.id, update.event_type)
        """
    )
    assert read == [str(update.update_id), str(user.id), update.event_type]


def test_every_telegram_object_binds_its_bot_in_one_step() -> None:
    """pydantic wraps the step that binds the bot again for every class below the one that
    defines it; each class has one step instead, not a chain of wrappers."""
    from aiogram import methods, types
    from aiogram.client.context_controller import BotContextController

    models = [
        model
        for module in (types, methods)
        for model in vars(module).values()
        if isinstance(model, type) and issubclass(model, BotContextController)
    ]
    assert len(models) > 400
    chained = [model.__name__ for model in models if hasattr(model.model_post_init, "__wrapped__")]
    assert chained == []


def test_objects_read_or_made_still_know_their_bot() -> None:
    from aiogram.methods import SendMessage
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

    bot = object()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Aanmelden", callback_data="ev:join:1")]]
    )
    user = make_user()
    sent = callback_update(user, "ev:join:1").callback_query
    assert sent is not None and sent.message is not None
    payload = sent.message.model_copy(update={"reply_markup": keyboard}).model_dump(mode="json")
    update = Update.model_validate(
        {"update_id": 7, "message": payload | {"text": "Tafel"}}, context={"bot": bot}
    )
    message = update.message
    assert message is not None and message.reply_markup is not None
    assert update.bot is bot and message.bot is bot and message.chat.bot is bot
    assert message.reply_markup.inline_keyboard[0][0].bot is bot
    assert message.model_copy().bot is bot
    assert Message.model_validate(payload).bot is None
    assert Message.model_construct(message_id=1, date=message.date, chat=message.chat).bot is None
    assert keyboard.bot is None and keyboard.as_(bot).bot is bot
    made = SendMessage(chat_id=user.id, text="Hallo")
    assert made.bot is None and made.as_(bot).bot is bot
    assert Message.model_validate(payload) == Message.model_validate(payload, context={"bot": None})
