"""Facilitators answer in the chat: a reply to the request ("ja", "kan niet", 👍 …), a plain
message while one request is open, the [Ja] [Nee] buttons, "I can't after all", and the reply
to the debrief question. Unclear answers get a question back, never a guess."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Unpack

from aiogram import F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.messages import bot_message_replied_to
from bot.handler_data import HandlerData
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import FacAnswerCallback, FacDutyAction, FacDutyCallback
from bot.keyboards.facilitation import (
    answer_keyboard,
    duty_keyboard,
    which_table_keyboard,
    withdraw_confirm_keyboard,
)
from bot.services.facilitation import debriefs
from bot.services.facilitation import requests as facilitation_requests
from bot.services.facilitation.debriefs import DebriefFormatError, DebriefTooEarlyError
from bot.services.facilitation.reply_intent import Intent, classify
from bot.services.facilitation.requests import (
    Answer,
    NotWithdrawableError,
    Outcome,
    RequestNotFoundError,
)
from bot.views.event_card import title_in_question, when_where
from storage.models import Event, User
from storage.repositories import Repo


def answer_text(message: Message) -> str:
    """What was said: the text, a caption, or the emoji of a sticker."""
    if message.sticker is not None:
        return message.sticker.emoji or ""
    return message.text or message.caption or ""


def _asked_request(original: Message) -> int | None:
    """The request a message of the bot asks about through its [Yes] / [No] buttons (the
    question back, or any other message that asks a facilitator to lead a table)."""
    markup = original.reply_markup
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            data = button.callback_data or ""
            if data.startswith(FacAnswerCallback.__prefix__ + ":"):
                try:
                    return FacAnswerCallback.unpack(data).request_id
                except (TypeError, ValueError):
                    return None
    return None


class RepliedToFacilitation(Filter):
    """Passes a reply to one of the bot's facilitation messages, with `replied` = (kind, id):
    a message delivered through the outbox, or any message of the bot that asks about a
    request with its [Yes] / [No] buttons (such as the question back)."""

    def could_take(self, message: Message, data: Mapping[str, Any]) -> bool:
        return bot_message_replied_to(message) is not None

    async def __call__(self, message: Message, repo: Repo, **kwargs: Any) -> bool | dict[str, Any]:
        original = bot_message_replied_to(message)
        if original is None:
            return False
        found = await facilitation_requests.message_request(
            repo, message.chat.id, original.message_id
        )
        if found is None and (asked := _asked_request(original)) is not None:
            found = ("facilitation.request", asked)
        return {"replied": found} if found else False


class AnswersOpenRequest(Filter):
    """Passes a plain message of a facilitator with open requests that says yes, no or
    something unclear; a message that is not an answer at all goes on to other handlers."""

    def could_take(self, message: Message, data: Mapping[str, Any]) -> bool:
        user: User | None = data.get("user")
        return user is not None and user.is_facilitator and message.chat.type == "private"

    async def __call__(
        self, message: Message, repo: Repo, clock: Clock, user: User | None = None, **kwargs: Any
    ) -> bool | dict[str, Any]:
        if user is None or not self.could_take(message, {"user": user}):
            return False
        intent = classify(answer_text(message))
        if intent is Intent.NONE:
            return False
        found = await facilitation_requests.open_requests(repo, user.id, now=clock.now())
        return {"open_requests": found, "intent": intent} if found else False


async def _ask_back(
    message: Message, request_id: int, event: Event, **data: Unpack[HandlerData]
) -> None:
    text = _("I'm not sure what you mean. Can you lead <b>{title}</b>?").format(
        title=title_in_question(event)
    )
    text += "\n" + when_where(event, data["locale"], data["settings"].tz) + "\n\n"
    text += _("Tap Yes or No, or answer yes or no.")
    await message.answer(text, reply_markup=answer_keyboard(request_id))


def outcome_text(result: Answer, yes: bool, settings: Settings, locale: str) -> str:
    event = result.event
    title = html.escape(event.title) if event else ""
    outcome = result.outcome
    if outcome is Outcome.ACCEPTED and event is not None:
        text = _("🎉 Thank you! You lead <b>{title}</b>.").format(title=title)
        text += "\n" + when_where(event, locale, settings.tz) + "\n\n"
        return text + _("You'll get a reminder the day before. Can't make it after all? Tap below.")
    if outcome is Outcome.DECLINED:
        return _("Thanks for letting us know. We'll ask someone else.")
    if outcome is Outcome.TAKEN:
        return _("Someone else already took it, thank you! We'll ask you again next time.")
    if outcome is Outcome.ALREADY_ACCEPTED and yes:
        return _("You already said yes to <b>{title}</b>. See you there!").format(title=title)
    if outcome is Outcome.ALREADY_ACCEPTED:
        return _(
            "You said yes to <b>{title}</b> earlier. Can't make it after all? Tap below."
        ).format(title=title)
    if outcome is Outcome.ALREADY_DECLINED:
        return _("You already said no to this table. Thanks for letting us know!")
    return _("This request is no longer open. Thank you anyway!")


async def _answer(
    message: Message,
    request_id: int,
    yes: bool,
    via: str,
    *,
    user_id: int,
    **data: Unpack[HandlerData],
) -> None:
    try:
        result = await facilitation_requests.answer(
            data["repo"], request_id, user_id, yes=yes, via=via, now=data["clock"].now()
        )
    except RequestNotFoundError:
        await message.answer(_("This request is no longer open. Thank you anyway!"))
        return
    keyboard = None
    if result.outcome is Outcome.ACCEPTED or (
        result.outcome is Outcome.ALREADY_ACCEPTED and not yes
    ):
        keyboard = duty_keyboard(request_id)
    await message.answer(
        outcome_text(result, yes, data["settings"], data["locale"]), reply_markup=keyboard
    )


async def on_reply(
    message: Message,
    replied: tuple[str, int],
    **data: Unpack[HandlerData],
) -> None:
    """A reply to a request, its reminder, the own reminder or the debrief question."""
    kind, request_id = replied
    assert message.from_user is not None
    user_id = message.from_user.id
    text = answer_text(message)
    if kind == "facilitation.debrief":
        await _debrief(message, request_id, text, user_id=user_id, **data)
        return
    intent = classify(text)
    if intent in (Intent.YES, Intent.NO):
        await _answer(message, request_id, intent is Intent.YES, "reply", user_id=user_id, **data)
        return
    found = await facilitation_requests.pending_request(data["repo"], request_id, user_id)
    if found is None:
        await message.answer(_("This request is no longer open. Thank you anyway!"))
        return
    await _ask_back(message, request_id, found[1], **data)


async def _debrief(
    message: Message, request_id: int, text: str, *, user_id: int, **data: Unpack[HandlerData]
) -> None:
    try:
        debrief, event = await debriefs.submit(
            data["repo"], request_id, user_id, text, now=data["clock"].now()
        )
    except DebriefFormatError:
        await message.answer(
            _(
                "Start with the number of people who came, then a few words about the talk. "
                "For example: <code>9 - housing, the bus, neighbours</code>"
            )
        )
        return
    except (RequestNotFoundError, DebriefTooEarlyError):
        await message.answer(_("This table is not yours to report on (any more)."))
        return
    await message.answer(
        ngettext(
            "Thank you! Noted for <b>{title}</b>: {count} person.",
            "Thank you! Noted for <b>{title}</b>: {count} people.",
            debrief.participants,
        ).format(title=html.escape(event.title), count=debrief.participants)
    )


async def on_plain_answer(
    message: Message,
    open_requests: list[tuple[Any, Event]],
    intent: Intent,
    **data: Unpack[HandlerData],
) -> None:
    """A plain yes or no while requests are open: one is answered; with several, which?"""
    assert message.from_user is not None
    if len(open_requests) == 1:
        request, event = open_requests[0]
        if intent is Intent.UNCLEAR:
            await _ask_back(message, request.id, event, **data)
            return
        await _answer(
            message, request.id, intent is Intent.YES, "text", user_id=message.from_user.id, **data
        )
        return
    await _which_table(message, open_requests, intent, data["locale"], data["settings"])


async def _which_table(
    message: Message, open_requests: list[tuple[Any, Event]], intent: Intent, locale: str,
    settings: Settings,
) -> None:  # fmt: skip
    """Several requests are open: which table does the yes or no belong to?"""
    if intent is Intent.UNCLEAR:
        await message.answer(
            _(
                "You have {count} open requests. Reply to the request of the table you mean "
                "with yes or no, or use its buttons."
            ).format(count=len(open_requests))
        )
        return
    yes = intent is Intent.YES
    question = _("Which table do you say yes to?") if yes else _("Which table do you say no to?")
    keyboard = which_table_keyboard(open_requests, yes, locale, settings.tz)
    await message.answer(question, reply_markup=keyboard)


async def cb_answer(
    query: CallbackQuery, callback_data: FacAnswerCallback, **data: Unpack[HandlerData]
) -> None:
    """The [Ja] / [Nee] buttons (also the buttons of "which table?")."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)
    await _answer(
        query.message,
        callback_data.request_id,
        callback_data.yes,
        "button",
        user_id=query.from_user.id,
        **data,
    )


async def cb_still_on(
    query: CallbackQuery, callback_data: FacDutyCallback, repo: Repo, clock: Clock,
    settings: Settings,
) -> None:  # fmt: skip
    """[Yes, I can still] after the table moved: the coordinators see it."""
    try:
        event = await facilitation_requests.still_on(
            repo, callback_data.request_id, query.from_user.id, now=clock.now(),
            coordinator_chat_id=settings.coordinator_chat_id,
        )  # fmt: skip
    except (RequestNotFoundError, NotWithdrawableError):
        await query.answer(_("This request is no longer open. Thank you anyway!"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            _("Great, thank you! See you at <b>{title}</b>.").format(title=html.escape(event.title))
        )


async def cb_withdraw(query: CallbackQuery, callback_data: FacDutyCallback) -> None:
    """[I can't after all]: asks to confirm first."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            _("Are you sure you can't lead this table? The coordinators will be told."),
            reply_markup=withdraw_confirm_keyboard(callback_data.request_id),
        )


async def cb_withdraw_confirmed(
    query: CallbackQuery,
    callback_data: FacDutyCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
) -> None:
    """[Yes, I can't]: the duty is given back and the coordinators are told."""
    try:
        event = await facilitation_requests.withdraw(
            repo, callback_data.request_id, query.from_user.id, now=clock.now(),
            coordinator_chat_id=settings.coordinator_chat_id,
        )  # fmt: skip
    except (RequestNotFoundError, NotWithdrawableError):
        await query.answer(_("This table is no longer on your list."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _(
                "Thanks for letting us know. You no longer lead <b>{title}</b>; "
                "the coordinators will look for someone else."
            ).format(title=html.escape(event.title))
        )


def create_router() -> Router:
    router = Router(name="facilitation_replies")
    router.message.register(on_reply, RepliedToFacilitation())
    router.message.register(
        on_plain_answer,
        StateFilter(None),
        # A reply to another message of the bot (e.g. a relayed introduction) is not meant for
        # the open request; only plain messages are matched to it.
        F.reply_to_message.is_(None),
        F.text & ~F.text.startswith("/") | F.sticker,
        AnswersOpenRequest(),
    )
    router.callback_query.register(cb_answer, FacAnswerCallback.filter())
    duty = FacDutyCallback.filter
    router.callback_query.register(cb_withdraw, duty(F.action == FacDutyAction.WITHDRAW))
    router.callback_query.register(cb_still_on, duty(F.action == FacDutyAction.STILL_ON))
    router.callback_query.register(
        cb_withdraw_confirmed, duty(F.action == FacDutyAction.WITHDRAW_YES)
    )
    return router
