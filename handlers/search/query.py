"""/zoek (/search), the menu's "🔎 Search" and search mode: words typed while the bot waits for
them are a search, and so are plain words outside any conversation ("I searched for …"; a
greeting gets the welcome, a thank-you a nod). Results come as a short ranked list with a
button each, pages and theme and municipality filters; a search that finds nothing says so and
offers the closest themes.

The words of each search are kept in the conversation data under a small number, so page and
filter buttons work without carrying the words in the button (64 bytes at most).
"""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove

from bot.clock import Clock
from bot.conversation.free_text import FreeText, read_free_text
from bot.conversation.search_session import (
    MAX_QUERY_LENGTH,
    recall,
    remember,
)
from bot.deeplinks import deep_link
from bot.filters.messages import TypedText
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards import search as kb
from bot.keyboards.callbacks import MenuAction, MenuCallback, SearchCallback
from bot.keyboards.menu import main_menu, with_menu_button
from bot.services.search import discover
from bot.services.search.index_sync import SearchIndexHolder
from bot.states import SearchStates
from bot.views.help import welcome_text
from bot.views.messages import edit_or_keep
from bot.views.search_results import results_text
from storage.models import User
from storage.repositories import Repo


def prompt_text() -> str:
    return _(
        "🔎 <b>What are you looking for?</b>\n"
        "Type a few words, for example <i>moestuin</i>, <i>taalcafé Overvecht</i> or "
        "<i>ouderen Zeist</i>. Or share your location to see what is nearby."
    )


async def enter_search_mode(message: Message, state: FSMContext) -> None:
    await state.set_state(SearchStates.query)
    await message.answer(prompt_text(), reply_markup=kb.search_mode_keyboard())


async def results_message(
    repo: Repo,
    holder: SearchIndexHolder,
    query: str,
    request: SearchCallback,
    locale: str,
    person: int | None = None,
    *,
    typed_freely: bool = False,
    now: datetime | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one page of a search. Words typed outside search mode say that
    they were taken as a search and keep the menu one tap away."""
    filters = discover.Filters(request.theme, request.place)
    page = await discover.search(
        repo, holder, query, page=request.page, filters=filters, person=person
    )
    text = results_text(query, page, filters, locale, typed_freely=typed_freely, now=now)
    if not page.items and page.suggestions and not (request.theme or request.place):
        keyboard = kb.suggestions_keyboard(page.suggestions, locale)
    else:
        request = request.model_copy(update={"page": page.page})
        keyboard = kb.results_keyboard(page.items, request, page.pages, locale)
    return text, with_menu_button(keyboard) if typed_freely else keyboard


async def run_search(
    message: Message,
    query: str,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    *,
    typed_freely: bool = False,
    now: datetime | None = None,
) -> None:
    """Searches the words and answers with the first page; `typed_freely` for words typed
    outside search mode (the fallback takes them as a search)."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    entry: dict[str, object] = {"q": query}
    if typed_freely:
        entry["typed"] = 1
    token = await remember(state, entry)
    person = message.from_user.id if message.from_user else None
    text, keyboard = await results_message(
        repo, search_index, query, SearchCallback(q=token), locale, person,
        typed_freely=typed_freely, now=now,
    )  # fmt: skip
    await message.answer(text, reply_markup=keyboard)


async def cmd_search(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    """`/zoek moestuin` shows the results; `/zoek` alone asks what to look for."""
    await state.set_state(SearchStates.query)
    if not (command.args or "").strip():
        await message.answer(prompt_text(), reply_markup=kb.search_mode_keyboard())
        return
    await run_search(
        message, command.args or "", state, repo, search_index, locale, now=clock.now()
    )


async def cb_menu_search(query: CallbackQuery, state: FSMContext) -> None:
    """The menu's search button: asks what to look for."""
    await query.answer()
    if isinstance(query.message, Message):
        await enter_search_mode(query.message, state)


@deep_link("zoek")
async def open_search_link(message: Message, argument: str, data: HandlerData) -> bool:
    """`?start=zoek` (from inline mode) asks what to look for."""
    if argument:
        return False
    await enter_search_mode(message, data["state"])
    return True


async def on_query_text(
    message: Message,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    """Words typed in search mode: the results."""
    await run_search(
        message, message.text or "", state, repo, search_index, locale, now=clock.now()
    )


async def on_stop(message: Message, state: FSMContext) -> None:
    """ "Stop searching" (or /stop) in search mode: back to normal, the keyboard goes away."""
    await state.set_state(None)
    await message.answer(
        _("OK, stopped searching. Type /search to search again, or /menu for everything else."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def on_other_in_search_mode(message: Message) -> None:
    """A sticker, photo or the like in search mode: say what is expected."""
    await message.answer(
        _("Type a few words to search, or share your location to see what is nearby.")
    )


async def cb_results(
    query: CallbackQuery, callback_data: SearchCallback, state: FSMContext, repo: Repo,
    search_index: SearchIndexHolder, locale: str, clock: Clock,
) -> None:  # fmt: skip
    """Another page, a filter on or off, or a picker: edits the results message."""
    entry = await recall(state, callback_data.q)
    if entry is None or not isinstance(query.message, Message):
        await query.answer(
            _("This search has expired. Type your words again, or /search."), show_alert=True
        )
        return
    await query.answer()
    words = str(entry.get("q", ""))
    if callback_data.pick in ("theme", "place"):
        text, keyboard = await _picker(repo, search_index, words, callback_data, locale)
    else:
        text, keyboard = await results_message(
            repo, search_index, words, callback_data, locale,
            typed_freely=bool(entry.get("typed")), now=clock.now(),
        )  # fmt: skip
    await edit_or_keep(query.message, text, keyboard)


async def _picker(
    repo: Repo, search_index: SearchIndexHolder, words: str, request: SearchCallback, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The theme or municipality picker, listing only what the results have."""
    filters = discover.Filters(request.theme, request.place)
    found = await discover.choices(repo, search_index, words, filters)
    question = _("Which theme?") if request.pick == "theme" else _("Which municipality?")
    return question, kb.picker_keyboard(request, found, locale)


async def on_free_text(
    message: Message,
    user: User,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
    clock: Clock,
) -> None:
    kind = read_free_text(message.text or "")
    if kind is FreeText.GREETING:
        await message.answer(welcome_text(user.first_name), reply_markup=main_menu())
    elif kind is FreeText.THANKS:
        await message.answer(
            _("👍 Type what you are looking for, or choose from the menu:"),
            reply_markup=main_menu(),
        )
    else:
        await run_search(
            message, message.text or "", state, repo, search_index, locale,
            typed_freely=True, now=clock.now(),
        )  # fmt: skip


def create_router() -> Router:
    router = Router(name="search")
    router.message.filter(F.chat.type == "private")
    router.message.register(cmd_search, Command("zoek", "search", "zoeken"))
    searching = StateFilter(SearchStates.query)
    router.message.register(on_stop, searching, Command("annuleren", "cancel"))
    router.message.register(on_stop, searching, F.text.func(lambda text: text == kb.stop_label()))
    router.message.register(on_query_text, searching, TypedText())
    router.message.register(on_other_in_search_mode, searching, ~F.text, ~F.location)
    router.callback_query.register(
        cb_menu_search, MenuCallback.filter(F.action == MenuAction.SEARCH)
    )
    router.callback_query.register(cb_results, SearchCallback.filter())
    return router


def create_free_text_router() -> Router:
    """Plain words outside any conversation. Included after every other feature's handlers, so
    each conversation step had its turn first."""
    router = Router(name="search_free_text")
    router.message.register(on_free_text, F.chat.type == "private", StateFilter(None), TypedText())
    return router
