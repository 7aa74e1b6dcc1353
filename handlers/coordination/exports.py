"""/export initiatives|events|registrations|debriefs|feedback|audit [period]: a CSV file (UTF-8 with
BOM, `;`-separated for Dutch Excel) sent as a document. Without a choice: buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.keyboards.callbacks import ExportCallback
from bot.keyboards.coordination import export_choice
from bot.services.coordination import exports, stats
from bot.services.coordination.stats import BadPeriodError
from bot.views.exports import bad_period_text, document_caption, export_question, language_for
from storage.repositories import Repo


async def _send_export(
    message: Message, actor_id: int, word: str, typed_period: str | None, repo: Repo,
    clock: Clock, settings: Settings, locale: str,
) -> None:  # fmt: skip
    """The CSV file `word` names, over the typed period if any (or what is wrong with it); the
    buttons to choose one when `word` names none."""
    kind = exports.kind_named(word)
    if kind is None:
        await message.answer(export_question(), reply_markup=export_choice())
        return
    now = clock.now()
    try:
        period = stats.parse_period(typed_period, now=now, tz=settings.tz) if typed_period else None
    except BadPeriodError:
        await message.answer(bad_period_text())
        return
    data, count = await exports.export(
        repo, kind, period, actor_id=actor_id, via="chat", now=now, tz=settings.tz,
        language=language_for(kind, locale),
    )  # fmt: skip
    document = BufferedInputFile(data, filename=exports.filename(kind, now, settings.tz))
    await message.answer_document(document, caption=document_caption(kind, count))


async def cmd_export(
    message: Message,
    command: CommandObject,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Sends the chosen CSV file, or the buttons to choose one."""
    words = (command.args or "").split(maxsplit=1)
    kind = words[0].lower() if words else ""
    period = words[1] if len(words) > 1 else None
    actor_id = message.from_user.id if message.from_user else message.chat.id
    await _send_export(message, actor_id, kind, period, repo, clock, settings, locale)


async def cb_export(
    query: CallbackQuery,
    callback_data: ExportCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Sends the CSV file tapped."""
    await query.answer()
    if isinstance(query.message, Message):
        await _send_export(
            query.message,
            query.from_user.id,
            callback_data.what,
            callback_data.period or None,
            repo,
            clock,
            settings,
            locale,
        )


def create_router() -> Router:
    router = Router(name="exports")
    coordinator = IsCoordinator()
    router.message.register(cmd_export, Command("export"), coordinator)
    router.callback_query.register(cb_export, ExportCallback.filter(), coordinator)
    return router
