"""Questions to peers: /vraag (pick a theme, type the question), answering a question (button
or Telegram's reply), "can't help", marking the helpful answer, consent to the knowledge base,
and /helpen where members switch their initiative's help on themes on or off."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.catalog.themes import THEMES
from bot.clock import Clock
from bot.config import Settings
from bot.conversation.writing import start_writing, still_writing
from bot.filters.messages import TypedText
from bot.i18n import _
from bot.keyboards.callbacks import MenuAction, MenuCallback, PeerAction, PeerCallback
from bot.keyboards.connections import (
    cancel_markup,
    consent_keyboard,
    theme_picker,
)
from bot.services.connections import help_offers
from bot.services.connections import peer_questions as peers
from bot.states import PeerStates
from bot.views.connections import peer_refusal, question_prompt, question_sent_text
from storage.models import User
from storage.repositories import Repo


async def _ask_theme(message: Message, repo: Repo, locale: str) -> None:
    themes = await help_offers.themes_with_helpers(repo)
    if not themes:
        await message.answer(
            _(
                "No initiative has offered to answer questions yet. "
                "Meanwhile, look in the knowledge base: /knowledge"
            )
        )
        return
    await message.answer(
        _(
            "🙋 <b>Ask other initiatives</b>\nWhat is your question about? I'll send it to a "
            "few members of initiatives that offered to help on that theme. "
            "They won't see your name."
        ),
        reply_markup=theme_picker(themes, locale, "theme"),
    )


async def cmd_ask(message: Message, repo: Repo, locale: str) -> None:
    """/vraag: asks for the theme of the question."""
    await _ask_theme(message, repo, locale)


async def cb_menu_ask(query: CallbackQuery, repo: Repo, locale: str) -> None:
    """The menu's "Ask a question" button."""
    await query.answer()
    if isinstance(query.message, Message):
        await _ask_theme(query.message, repo, locale)


async def cb_theme(
    query: CallbackQuery, callback_data: PeerCallback, state: FSMContext, locale: str, clock: Clock
) -> None:
    """A theme was picked: asks for the question."""
    theme = THEMES.get(callback_data.value)
    if theme is None:
        await query.answer(_("That theme doesn't exist."), show_alert=True)
        return
    await query.answer()
    await state.set_data({})
    await start_writing(state, PeerStates.question, clock, theme=callback_data.value)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            question_prompt(theme.label(locale)), reply_markup=cancel_markup()
        )


async def question_write(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The typed question: sent to the helpers through the outbox."""
    theme = str((await still_writing(state, clock))["theme"])
    try:
        _question, count = await peers.ask(
            repo, user.id, theme, message.text or "", now=clock.now(), tz=settings.tz
        )
    except peers.PeerTextLengthError as exc:
        await message.answer(peer_refusal(exc), reply_markup=cancel_markup())
        return
    except peers.PeerError as exc:
        await state.clear()
        await message.answer(peer_refusal(exc))
        return
    await state.clear()
    await message.answer(question_sent_text(count, THEMES[theme].label(locale)))


async def not_text(message: Message) -> None:
    """Something other than text while a question or answer is expected."""
    await message.answer(_("Please type your text, or tap ✖️ Cancel."), reply_markup=cancel_markup())


async def cb_close(query: CallbackQuery, state: FSMContext) -> None:
    """✖️ Cancel / ✅ Done: ends what was going on."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


async def cb_helpful(
    query: CallbackQuery, callback_data: PeerCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[This helped me]: thanks the helper and asks whether others may learn from it."""
    await peers.mark_helpful(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(_("Thanks! I'll let them know."))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            _(
                "May we add your question and this answer to the knowledge base, without any "
                "names, so others can find it too? We only do it if the helper agrees as well."
            ),
            reply_markup=consent_keyboard("c", callback_data.id),
        )


async def cb_consent(
    query: CallbackQuery, callback_data: PeerCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """Yes or no to sharing a question and answer in the knowledge base."""
    yes = callback_data.action == PeerAction.CYES
    article = await peers.give_consent(repo, callback_data.id, user.id, yes=yes, now=clock.now())
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if not yes:
        text = _("Fine, it stays between you.")
    elif article is not None:
        text = _("🎉 Thank you! It's in the knowledge base now (without names): /knowledge")
    else:
        text = _("Thank you! Once the other side agrees too, it goes into the knowledge base.")
    await query.message.edit_text(text)


def create_router() -> Router:
    router = Router(name="peer_questions")
    router.message.register(cmd_ask, Command("vraag", "ask"))
    router.callback_query.register(cb_menu_ask, MenuCallback.filter(F.action == MenuAction.ASK))
    router.callback_query.register(cb_theme, PeerCallback.filter(F.action == PeerAction.THEME))
    router.callback_query.register(cb_close, PeerCallback.filter(F.action == PeerAction.CLOSE))
    router.callback_query.register(cb_helpful, PeerCallback.filter(F.action == PeerAction.HELPFUL))
    router.callback_query.register(cb_consent, PeerCallback.filter(F.action.in_(("cyes", "cno"))))
    router.message.register(question_write, PeerStates.question, TypedText())
    router.message.register(not_text, PeerStates.question, ~F.text)
    router.message.register(not_text, PeerStates.answer, ~F.text)
    return router
