"""/bericht (/broadcast): a coordinator writes an announcement, optionally adds a button (a
link or an event), chooses the audience, sees a preview exactly as recipients will, and sends
it now or after quiet hours. The live progress and the report come from the progress job."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import BroadcastAction, BroadcastCallback, BroadcastComposeCallback
from bot.keyboards.coordination import button_choice
from bot.services.coordination import broadcasts
from bot.services.coordination.broadcasts import BadButtonError, EmptyTextError, UnknownEventError
from bot.states import BroadcastStates
from bot.views.broadcast_progress import started_text
from bot.views.broadcasts import ask_audience
from storage.models import Broadcast, BroadcastStatus
from storage.repositories import Repo


async def cmd_broadcast(message: Message, state: FSMContext) -> None:
    """Starts a new announcement: asks for its text."""
    await state.clear()
    await state.set_state(BroadcastStates.text)
    await message.answer(
        _(
            "✍️ Write the announcement. Bold, italics and links are kept exactly as you type "
            "them.\n\nYou can stop at any time with /stop."
        )
    )


async def cmd_stop(message: Message, state: FSMContext) -> None:
    """Stops composing; nothing is sent."""
    await state.clear()
    await message.answer(_("Stopped. Nothing was sent."))


async def text_entered(message: Message, state: FSMContext) -> None:
    """Keeps the text with its formatting; asks about a button."""
    if not message.text:
        await message.answer(_("Please send the announcement as a text message."))
        return
    try:
        text = broadcasts.check_text(message.html_text)
    except EmptyTextError:
        await message.answer(_("Please send the announcement as a text message."))
        return
    except broadcasts.TextTooLongError:
        await message.answer(
            _("That is too long for one message. Please make it shorter and send it again.")
        )
        return
    await state.update_data(text=text)
    await state.set_state(BroadcastStates.button)
    await message.answer(_("Add a button under the message?"), reply_markup=button_choice())


async def cb_button(
    query: CallbackQuery, callback_data: BroadcastComposeCallback, state: FSMContext, locale: str
) -> None:
    """The button choice: a link, an event, or none."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if await state.get_state() != BroadcastStates.button.state:
        await query.message.answer(
            _("This announcement is no longer open. Start again with /broadcast.")
        )
        return
    if callback_data.value == "link":
        await state.set_state(BroadcastStates.button_link)
        await query.message.answer(
            _(
                "Type the text of the button and the link, separated by |, for example:\n"
                "<code>Sign up | https://example.org</code>"
            )
        )
    elif callback_data.value == "event":
        await state.set_state(BroadcastStates.button_event)
        await query.message.answer(_("Type the number of the event, for example 12."))
    else:
        await ask_audience(query.message, state, locale)


async def link_entered(message: Message, state: FSMContext, locale: str) -> None:
    """Reads "text | link"; explains the format when it can't."""
    try:
        label, url = broadcasts.parse_link_button(message.text or "")
    except BadButtonError:
        await message.answer(
            _(
                "I can't use that. Type the button text (at most 64 characters), a |, and a "
                "link starting with https://, for example:\n"
                "<code>Sign up | https://example.org</code>"
            )
        )
        return
    await state.update_data(button_text=label, button_url=url)
    await ask_audience(message, state, locale)


async def event_entered(message: Message, state: FSMContext, repo: Repo, locale: str) -> None:
    """Reads the number of the event the button opens."""
    typed = (message.text or "").strip().lstrip("#")
    try:
        if not typed.isdigit():
            raise UnknownEventError(typed)
        await broadcasts.check_event(repo, int(typed))
    except UnknownEventError:
        await message.answer(
            _("There is no published event with that number. Type its number, for example 12.")
        )
        return
    await state.update_data(button_event_id=int(typed))
    await ask_audience(message, state, locale)


def _refusal(status: str | None) -> str:
    """Why a preview's button does nothing any more."""
    if status is None:
        return _("This announcement no longer exists.")
    if status == BroadcastStatus.CANCELLED:
        return _("This announcement was cancelled. Nothing was sent.")
    return _("This announcement was already sent.")


async def cb_cancel(
    query: CallbackQuery, callback_data: BroadcastCallback, repo: Repo, clock: Clock
) -> None:
    """[Cancel] under a preview: nothing is sent."""
    cancelled, status = await broadcasts.cancel(
        repo, callback_data.id, actor_id=query.from_user.id, now=clock.now()
    )
    if not cancelled:
        await query.answer(_refusal(status), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Cancelled. Nothing was sent."))


async def cb_send(
    query: CallbackQuery, callback_data: BroadcastCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """[Send now] or [After quiet hours]: the broadcast starts; a progress message follows."""
    if not isinstance(query.message, Message):
        await query.answer()
        return
    try:
        result = await broadcasts.confirm(
            repo, callback_data.id, actor_id=query.from_user.id,
            urgent=callback_data.action == BroadcastAction.SEND, now=clock.now(),
        )  # fmt: skip
    except broadcasts.BroadcastNotFoundError:
        await query.answer(_refusal(None), show_alert=True)
        return
    if not result.started:
        await query.answer(_refusal(result.broadcast.status), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await _start_progress(query.message, result.broadcast, repo, clock, settings, locale)


async def _start_progress(
    message: Message,
    broadcast: Broadcast,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The progress message under the preview, kept up to date as the broadcast goes out."""
    quiet_until = broadcasts.waits_for_quiet_hours(broadcast, now=clock.now(), tz=settings.tz)
    progress = await message.answer(
        started_text(broadcast.recipients, quiet_until, settings.tz, locale)
    )
    await broadcasts.attach_progress(
        repo, broadcast.id, chat_id=progress.chat.id, message_id=progress.message_id
    )


def create_router() -> Router:
    router = Router(name="broadcasts")
    coordinator = IsCoordinator()
    composing = StateFilter(BroadcastStates)
    router.message.register(cmd_broadcast, Command("bericht", "broadcast"), coordinator)
    router.message.register(cmd_stop, Command("stop", "annuleren", "cancel"), composing)
    text = TypedText()
    router.message.register(
        text_entered, StateFilter(BroadcastStates.text), ~F.text.startswith("/"), coordinator
    )
    router.message.register(
        link_entered, StateFilter(BroadcastStates.button_link), text, coordinator
    )
    router.message.register(
        event_entered, StateFilter(BroadcastStates.button_event), text, coordinator
    )
    compose = BroadcastComposeCallback.filter
    router.callback_query.register(cb_button, compose(F.step == "button"), coordinator)
    decide = BroadcastCallback.filter
    router.callback_query.register(
        cb_cancel, decide(F.action == BroadcastAction.CANCEL), coordinator
    )
    router.callback_query.register(
        cb_send, decide(F.action.in_({BroadcastAction.SEND, BroadcastAction.LATER})), coordinator
    )
    return router
