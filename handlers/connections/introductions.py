"""Introductions with consent: [Contact] on an initiative's card, typing the first message,
replying (with the button or Telegram's reply), sharing one's contact, declining, reporting
and blocking. The rules live in `bot.services.connections.introductions`."""

from __future__ import annotations

import html
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.conversation.writing import start_writing, still_writing
from bot.filters.messages import ReplyToTheBot, TypedText, bot_message_replied_to
from bot.i18n import _
from bot.keyboards.callbacks import IntroAction, IntroCallback
from bot.keyboards.connections import cancel_keyboard, refusal_keyboard, writer_keyboard
from bot.keyboards.menu import with_menu_button
from bot.services.connections import introductions as intro
from bot.states import IntroStates
from bot.views.connections import first_message_sent_text, intro_refusal, writer_question
from bot.views.initiative_card import public_contact_lines
from bot.views.messages import answer_earlier_step
from storage.models import Initiative, User
from storage.repositories import Repo

Sent = TypeVar("Sent")


async def cb_contact(
    query: CallbackQuery, callback_data: IntroCallback, state: FSMContext, user: User, repo: Repo,
    clock: Clock, settings: Settings,
) -> None:  # fmt: skip
    """[Contact] on a card: asks for the message to pass on (or says why it can't)."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        initiative = await intro.can_contact(
            repo, callback_data.id, user.id, now=clock.now(), tz=settings.tz
        )
    except intro.IntroError as exc:
        no_members = isinstance(exc, intro.NoMembersError)
        await query.message.answer(
            intro_refusal(exc), reply_markup=refusal_keyboard(callback_data.id, no_members)
        )
        return
    await state.set_data({})
    await start_writing(state, IntroStates.first, clock, initiative_id=initiative.id)
    own = await intro.own_initiatives(repo, user.id, exclude=initiative.id)
    if not own:
        await _prompt(query.message, initiative)
        return
    await query.message.answer(writer_question(initiative.name), reply_markup=writer_keyboard(own))


async def cb_pass_on(
    query: CallbackQuery, callback_data: IntroCallback, state: FSMContext, clock: Clock
) -> None:
    """[Ask the coordinators]: what to write; they pass it on to the initiative."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await state.set_data({})
    await start_writing(state, IntroStates.pass_on, clock, initiative_id=callback_data.id)
    await query.message.answer(
        _(
            "✉️ Write your message in one go. The coordinators pass it on to the initiative "
            "(by phone, e-mail or in person). They see your name, so they can get back to you."
        ),
        reply_markup=cancel_keyboard(),
    )


async def pass_on_write(
    message: Message, state: FSMContext, user: User, repo: Repo, clock: Clock, settings: Settings
) -> None:
    """The message for the coordinators to pass on."""
    data = await still_writing(state, clock)
    sending = intro.ask_coordinators_to_pass_on(
        repo, int(data["initiative_id"]), user.id, message.text or "",
        now=clock.now(), tz=settings.tz,
    )  # fmt: skip
    initiative = await _sent(message, state, sending, refusal_markup=with_menu_button())
    if initiative is None:
        return
    await message.answer(
        _(
            "✅ Sent to the coordinators. They'll pass it on to <b>{name}</b> and let you know."
        ).format(name=html.escape(initiative.name)),
        reply_markup=with_menu_button(),
    )


async def cb_writer(
    query: CallbackQuery, callback_data: IntroCallback, state: FSMContext, user: User, repo: Repo,
    clock: Clock, settings: Settings,
) -> None:  # fmt: skip
    """The sender chose to write as themselves or on behalf of their initiative."""
    data = await state.get_data()
    if await state.get_state() != IntroStates.first.state or "initiative_id" not in data:
        await answer_earlier_step(query)
        return
    await query.answer()
    try:
        initiative = await intro.can_contact(
            repo, int(data["initiative_id"]), user.id, now=clock.now(), tz=settings.tz
        )
    except intro.IntroError as exc:
        await state.clear()
        if isinstance(query.message, Message):
            await query.message.answer(intro_refusal(exc))
        return
    await state.update_data(as_initiative_id=callback_data.id or None)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _prompt(query.message, initiative)


async def _prompt(message: Message, initiative: Initiative) -> None:
    public = public_contact_lines(initiative)
    heading = ""
    if public:
        title = _("📇 Public contact details of <b>{name}</b>:")
        heading = "\n".join([title.format(name=html.escape(initiative.name)), *public]) + "\n\n"
    await message.answer(
        heading
        + _(
            "✉️ What would you like to ask or tell <b>{name}</b>? Write it in one message.\n"
            "I'll pass it on to the members. They won't see your name or Telegram account "
            "unless you choose to share it."
        ).format(name=html.escape(initiative.name)),
        reply_markup=cancel_keyboard(),
    )


async def first_write(
    message: Message, state: FSMContext, user: User, repo: Repo, clock: Clock, settings: Settings
) -> None:
    """The first message: passed on to the initiative's members."""
    data = await still_writing(state, clock)
    sending = intro.start_thread(
        repo, int(data["initiative_id"]), user.id, message.text or "", now=clock.now(),
        tz=settings.tz, as_initiative_id=data.get("as_initiative_id"),
    )  # fmt: skip
    started = await _sent(message, state, sending)
    if started is not None:
        _thread, initiative = started
        await message.answer(first_message_sent_text(initiative.name))


async def reply_write(
    message: Message, state: FSMContext, user: User, repo: Repo, clock: Clock, settings: Settings
) -> None:
    """A typed reply after [Reply]: passed on to the other side."""
    data = await still_writing(state, clock)
    await _pass_on(message, state, int(data["thread_id"]), user, repo, clock, settings)


async def _pass_on(
    message: Message,
    state: FSMContext,
    thread_id: int,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    sending = intro.reply(
        repo, thread_id, user.id, message.text or "", now=clock.now(), tz=settings.tz
    )
    if await _sent(message, state, sending) is not None:
        await message.answer(_("✅ Passed on."))


async def _sent(
    message: Message,
    state: FSMContext,
    sending: Awaitable[Sent],
    *,
    refusal_markup: InlineKeyboardMarkup | None = None,
) -> Sent | None:
    """What `sending` a typed message gives, the writing over; None when it was refused (told
    why): a message too long or too short may be written again, anything else ends the
    writing."""
    try:
        sent = await sending
    except intro.TextLengthError as exc:
        await message.answer(intro_refusal(exc), reply_markup=cancel_keyboard())
        return None
    except intro.IntroError as exc:
        await state.clear()
        await message.answer(intro_refusal(exc), reply_markup=refusal_markup)
        return None
    await state.clear()
    return sent


async def not_text(message: Message) -> None:
    """Something other than text while a message is expected."""
    await message.answer(
        _("Please send your message as text, or tap ✖️ Cancel."), reply_markup=cancel_keyboard()
    )


async def cb_cancel(query: CallbackQuery, state: FSMContext) -> None:
    """✖️ Cancel while typing: nothing is sent."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Cancelled. Nothing was sent."))


async def cb_reply(
    query: CallbackQuery,
    callback_data: IntroCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    clock: Clock,
) -> None:
    """[Reply] under a relayed message: asks for the reply."""
    await intro.open_side(repo, callback_data.id, user.id)
    await query.answer()
    await state.set_data({})
    await start_writing(state, IntroStates.reply, clock, thread_id=callback_data.id)
    if isinstance(query.message, Message):
        await query.message.answer(
            _("Write your reply. I'll pass it on without your name."),
            reply_markup=cancel_keyboard(),
        )


async def _replied_thread(message: Message, repo: Repo) -> dict[str, Any] | bool:
    """Filter: a Telegram reply to a relayed message gives that message's thread."""
    replied = bot_message_replied_to(message)
    if replied is None or message.from_user is None:
        return False
    thread_id = await intro.thread_replied_to(repo, message.from_user.id, replied.message_id)
    return {"thread_id": thread_id} if thread_id is not None else False


async def on_reply_to_relay(
    message: Message,
    thread_id: int,
    state: FSMContext,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """A Telegram reply to a relayed message: passed on like [Reply]."""
    await _pass_on(message, state, thread_id, user, repo, clock, settings)


def create_router() -> Router:
    router = Router(name="introductions")
    writing = StateFilter(IntroStates.first, IntroStates.reply, IntroStates.pass_on)
    router.callback_query.register(cb_contact, IntroCallback.filter(F.action == IntroAction.START))
    router.callback_query.register(cb_cancel, IntroCallback.filter(F.action == IntroAction.CANCEL))
    router.callback_query.register(cb_reply, IntroCallback.filter(F.action == IntroAction.REPLY))
    router.callback_query.register(cb_writer, IntroCallback.filter(F.action == IntroAction.AS))
    router.callback_query.register(
        cb_pass_on, IntroCallback.filter(F.action == IntroAction.PASS_ON)
    )
    router.message.register(pass_on_write, IntroStates.pass_on, TypedText())
    router.message.register(first_write, IntroStates.first, TypedText())
    router.message.register(reply_write, IntroStates.reply, TypedText())
    router.message.register(not_text, writing, ~F.text)
    router.message.register(
        on_reply_to_relay,
        F.chat.type == "private",
        TypedText(),
        ReplyToTheBot(),
        _replied_thread,
    )
    return router
