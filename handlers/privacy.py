"""/privacy (what is stored, why, how long, who sees it), /mijngegevens (/mydata: everything
stored as a JSON file) and /verwijder (/delete: erase everything, after a confirmation)."""

from __future__ import annotations

import secrets

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
from bot.keyboards.callbacks import PrivacyAction, PrivacyCallback
from bot.keyboards.privacy import erase_keyboard
from bot.services.privacy.personal_data import erase_user, export_data
from bot.states import PrivacyStates
from bot.views.privacy import erase_question, privacy_text
from storage.models import User
from storage.repositories import Repo

EXPORT_FILENAME = "samenspel-data.json"


async def cmd_privacy(message: Message, settings: Settings) -> None:
    """Shows in plain words what is stored, why, for how long, who sees it and how to erase it."""
    await message.answer(privacy_text(settings.retention_days))


async def cmd_mydata(message: Message, user: User, repo: Repo, clock: Clock) -> None:
    """Sends a JSON file with everything stored about the user."""
    document = await export_data(repo, user.id, now=clock.now())
    await message.answer_document(
        BufferedInputFile(document, filename=EXPORT_FILENAME),
        caption=_("This is everything I keep about you."),
    )


async def cmd_delete(message: Message, state: FSMContext) -> None:
    """Asks for a confirmation before everything about the user is erased."""
    code = secrets.token_urlsafe(9)
    await state.set_state(PrivacyStates.confirm_erase)
    await state.update_data(erase_code=code)
    await message.answer(erase_question(), reply_markup=erase_keyboard(code))


async def _erase_confirmed(state: FSMContext, code: str) -> bool:
    """The tap carries the one-time code of the question still open in this conversation."""
    if await state.get_state() != PrivacyStates.confirm_erase.state:
        return False
    expected = str((await state.get_data()).get("erase_code", ""))
    return secrets.compare_digest(expected, code)


async def cb_erase(
    query: CallbackQuery,
    callback_data: PrivacyCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """Erases the user after "yes"; an old or forged button does nothing."""
    if not await _erase_confirmed(state, callback_data.code):
        await query.answer(
            _("This button no longer works. Send /delete to start again."), show_alert=True
        )
        return
    await erase_user(repo, user.id, now=clock.now(), salt=settings.tombstone_salt)
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _(
                "Done: everything about you has been deleted. "
                "If you send me a message later, you start afresh. Take care!"
            )
        )


async def cb_keep(query: CallbackQuery, state: FSMContext) -> None:
    """ "No": nothing is erased and the question disappears."""
    if await state.get_state() == PrivacyStates.confirm_erase.state:
        await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Good, nothing has been deleted."))


async def cmd_private_only(message: Message) -> None:
    """In a group, personal data is never shown: the user is asked to write privately."""
    await message.answer(_("Send me this in a private chat, not in a group."))


def create_router() -> Router:
    router = Router(name="privacy")
    router.message.register(cmd_privacy, Command("privacy"))
    private = F.chat.type == "private"
    router.message.register(cmd_mydata, Command("mijngegevens", "mydata"), private)
    router.message.register(cmd_delete, Command("verwijder", "delete"), private)
    router.message.register(
        cmd_private_only, Command("mijngegevens", "mydata", "verwijder", "delete")
    )
    router.callback_query.register(
        cb_erase, PrivacyCallback.filter(F.action == PrivacyAction.ERASE), StateFilter("*")
    )
    router.callback_query.register(cb_keep, PrivacyCallback.filter(F.action == PrivacyAction.KEEP))
    return router
