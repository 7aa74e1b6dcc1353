"""Screens of composing an announcement that several steps show: the audience question and the
preview."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.clock import Clock
from bot.i18n import _
from bot.keyboards.coordination import (
    audience_keyboard,
    broadcast_markup,
    preview_keyboard,
)
from bot.services.coordination import audience as broadcast_audience
from bot.services.coordination import broadcasts
from bot.states import BroadcastStates
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
        _("Send this to {count} people?").format(count=count),
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
