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
