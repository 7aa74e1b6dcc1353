"""Screens of composing an announcement that several steps show: the audience question and the
preview."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.clock import Clock
from bot.i18n import CatalogI18n, _, ngettext, pick_locale, speaking
from bot.keyboards.coordination import (
    audience_keyboard,
    broadcast_markup,
    preview_keyboard,
)
from bot.services.coordination import audience as broadcast_audience
from bot.services.coordination import broadcasts
from bot.services.coordination.broadcast_progress import ProgressUpdate
from bot.states import BroadcastStates
from bot.views.broadcast_progress import finished_text, progress_text
from storage.repositories import Repo


async def show_preview(
    message: Message, state: FSMContext, repo: Repo, clock: Clock, user_id: int
) -> None:
    """Stores the draft and shows it exactly as recipients will see it, with the count."""
    data = await state.get_data()
    draft = broadcasts.Draft(
        text=data["text"],
        audience=data.get("audience", {}),
        button_text=data.get("button_text"),
        button_url=data.get("button_url"),
        button_event_id=data.get("button_event_id"),
    )
    broadcast, count = await broadcasts.create_draft(repo, draft, actor_id=user_id, now=clock.now())
    await state.clear()
    await message.answer(_("👁 <b>Preview</b> – this is how it will look:"))
    await message.answer(broadcast.text, reply_markup=broadcast_markup(broadcast))
    await message.answer(
        ngettext("Send this to {count} person?", "Send this to {count} people?", count).format(
            count=count
        ),
        reply_markup=preview_keyboard(broadcast.id),
    )


def audience_question(spec: dict[str, Any], locale: str) -> str:
    return _(
        "👥 Who gets it? Tap one or more groups, then 👁 Preview.\n\nChosen: {audience}"
    ).format(audience=broadcast_audience.describe(spec, locale))


async def ask_audience(message: Message, state: FSMContext, locale: str) -> None:
    """Moves the composition to the audience step and shows the choices."""
    await state.set_state(BroadcastStates.audience)
    spec: dict[str, Any] = (await state.get_data()).get("audience", {})
    await message.answer(audience_question(spec, locale), reply_markup=audience_keyboard(spec))


def progress_message(update: ProgressUpdate, i18n: CatalogI18n, default_locale: str) -> str:
    """The text of a coordinator's progress message, in their language."""
    locale = pick_locale(update.language, update.telegram_language, default_locale)
    with speaking(i18n, locale):
        if update.finished:
            return finished_text(update.delivered, update.not_delivered, update.skipped, locale)
        return progress_text(update.settled, update.total, locale)
