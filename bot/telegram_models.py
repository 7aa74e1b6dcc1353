"""aiogram's Telegram models, each built when it is first used instead of all at import.

aiogram defines some 450 pydantic models (every Bot API type and method) and, at the end of
`aiogram.types`, builds the validators of all of them: about 100 MB and a second of start-up
per process, for a bot that uses a few dozen. Here aiogram is imported with that last step
left out. The names it would have resolved with are put where pydantic looks for them (the
models' own modules), so pydantic builds a model the first time it validates or dumps one,
the way it does for any model whose types were not ready at definition.

`import_aiogram` runs when the `bot` package is imported, before anything imports aiogram.
`build_everyday_models` builds, at start, those that nearly every update uses, so the first
updates after a start are as quick as the rest.

Every Telegram object remembers the bot it came with (a private attribute, set right after the
object is read or made). pydantic wraps that step once more for every class below the one that
defines it, so a message, a button or a chat went through three or four nested calls, each
setting up the private attributes again: half of what reading a message with a keyboard cost.
`bind_bot_in_one_step` gives those classes one function that does the same at once.
"""

from __future__ import annotations

import sys
from typing import Any

_MODEL_PACKAGES = ("aiogram.types.", "aiogram.methods.")


def import_aiogram() -> bool:
    """Import aiogram with its models left to be built on first use. False when aiogram was
    imported already (then it was built the usual way, which works just as well)."""
    if "aiogram" in sys.modules:
        bind_bot_in_one_step()
        return False
    from pydantic import BaseModel

    rebuild = BaseModel.__dict__["model_rebuild"]
    names: dict[str, Any] = {}

    def remember_names(cls: type[BaseModel], **options: Any) -> bool | None:
        namespace = options.get("_types_namespace")
        if namespace is not None and cls.__module__.startswith(_MODEL_PACKAGES):
            names.update(namespace)
            return None
        options["_parent_namespace_depth"] = options.get("_parent_namespace_depth", 2) + 1
        return rebuild.__func__(cls, **options)  # type: ignore[no-any-return]

    BaseModel.model_rebuild = classmethod(remember_names)  # type: ignore[method-assign,assignment,arg-type]
    try:
        import aiogram  # noqa: F401
    finally:
        BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(_MODEL_PACKAGES) and module is not None:
            for name, value in names.items():
                module.__dict__.setdefault(name, value)
    bind_bot_in_one_step()
    return True


def bind_bot_in_one_step() -> None:
    """Give each aiogram class whose only private attribute is the bot, and whose step after
    validation is aiogram's own (wrapped by pydantic, once per class), one function that sets
    the bot at once; a class already given it, or with a step of its own, is left as it is."""
    from aiogram.client.context_controller import BotContextController

    own = _unwrapped(BotContextController.__dict__["model_post_init"])
    pending = list(BotContextController.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        step = cls.__dict__.get("model_post_init")
        if _unwrapped(step) is own and set(cls.__private_attributes__) == {"_bot"}:
            cls.model_post_init = _bind_bot  # type: ignore[method-assign,assignment]


def _unwrapped(function: Any) -> Any:
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    return function


def _bind_bot(self: Any, context: Any, /) -> None:
    """What pydantic's wrappers and aiogram's `model_post_init` do together, in one step: the
    private attributes are the bot alone, taken from the validation context."""
    object.__setattr__(
        self, "__pydantic_private__", {"_bot": context.get("bot") if context else None}
    )


def build_everyday_models() -> None:
    """Build the models of an update and of the Bot API calls nearly every update makes."""
    from aiogram import methods, types

    from bot.response_models import keep_response_model

    types.Update.model_rebuild()
    for method in (
        methods.SendMessage,
        methods.EditMessageText,
        methods.EditMessageReplyMarkup,
        methods.AnswerCallbackQuery,
        methods.DeleteMessage,
    ):
        method.model_rebuild()
        keep_response_model(method)
