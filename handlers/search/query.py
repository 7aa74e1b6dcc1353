"""/zoek (/search), the menu's "🔎 Search" and search mode: words typed while the bot waits for
them are a search. Results come as a short ranked list with a button each, pages and theme and
municipality filters; a search that finds nothing says so and offers the closest themes.

The words of each search are kept in the conversation data under a small number, so page and
filter buttons work without carrying the words in the button (64 bytes at most).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove

from bot.conversation.search_session import (
    MAX_QUERY_LENGTH,
    recall,
    remember,
)
from bot.deeplinks import deep_link
from bot.i18n import _
from bot.keyboards import search as kb
from bot.keyboards.callbacks import MenuAction, MenuCallback, SearchCallback
from bot.middlewares.data import HandlerData
from bot.services.search import discover
from bot.services.search.index_sync import SearchIndexHolder
from bot.states import SearchStates
from bot.views.messages import edit_or_keep
from bot.views.search_results import results_text
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
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one page of a search."""
    filters = discover.Filters(request.theme, request.place)
    page = await discover.search(
        repo, holder, query, page=request.page, filters=filters, person=person
    )
    text = results_text(query, page, filters, locale)
    if not page.items and page.suggestions and not (request.theme or request.place):
        return text, kb.suggestions_keyboard(page.suggestions, locale)
    request = request.model_copy(update={"page": page.page})
    return text, kb.results_keyboard(page.items, request, page.pages, locale)


async def run_search(
    message: Message,
    query: str,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
) -> None:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    token = await remember(state, {"q": query})
    person = message.from_user.id if message.from_user else None
    text, keyboard = await results_message(
        repo, search_index, query, SearchCallback(q=token), locale, person
    )
    await message.answer(text, reply_markup=keyboard)


async def cmd_search(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
) -> None:
    """`/zoek moestuin` shows the results; `/zoek` alone asks what to look for."""
    await state.set_state(SearchStates.query)
    if not (command.args or "").strip():
        await message.answer(prompt_text(), reply_markup=kb.search_mode_keyboard())
        return
    await run_search(message, command.args or "", state, repo, search_index, locale)


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
) -> None:
    """Words typed in search mode: the results."""
    await run_search(message, message.text or "", state, repo, search_index, locale)


async def on_stop(message: Message, state: FSMContext) -> None:
    """ "Stop searching" (or /stop) in search mode: back to normal, the keyboard goes away."""
    await state.set_state(None)
    await message.answer(
        _("OK, stopped searching. Type /zoek to search again, or /menu for everything else."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def on_other_in_search_mode(message: Message) -> None:
    """A sticker, photo or the like in search mode: say what is expected."""
    await message.answer(
        _("Type a few words to search, or share your location to see what is nearby.")
    )


async def cb_results(
    query: CallbackQuery,
    callback_data: SearchCallback,
    state: FSMContext,
    repo: Repo,
    search_index: SearchIndexHolder,
    locale: str,
) -> None:
    """Another page, a filter on or off, or a picker: edits the results message."""
    entry = await recall(state, callback_data.q)
    if entry is None or not isinstance(query.message, Message):
        await query.answer(
            _("This search has expired. Type your words again, or /zoek."), show_alert=True
        )
        return
    await query.answer()
    words = str(entry.get("q", ""))
    if callback_data.pick in ("theme", "place"):
        text, keyboard = await _picker(repo, search_index, words, callback_data, locale)
    else:
        text, keyboard = await results_message(repo, search_index, words, callback_data, locale)
    await edit_or_keep(query.message, text, keyboard)


async def _picker(
    repo: Repo, search_index: SearchIndexHolder, words: str, request: SearchCallback, locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The theme or municipality picker, listing only what the results have."""
    filters = discover.Filters(request.theme, request.place)
    found = await discover.choices(repo, search_index, words, filters)
    question = _("Which theme?") if request.pick == "theme" else _("Which municipality?")
    return question, kb.picker_keyboard(request, found, locale)


def create_router() -> Router:
    router = Router(name="search")
    router.message.filter(F.chat.type == "private")
    router.message.register(cmd_search, Command("zoek", "search", "zoeken"))
    searching = StateFilter(SearchStates.query)
    router.message.register(on_stop, searching, Command("annuleren", "cancel"))
    router.message.register(on_stop, searching, F.text.func(lambda text: text == kb.stop_label()))
    router.message.register(on_query_text, searching, F.text, ~F.text.startswith("/"))
    router.message.register(on_other_in_search_mode, searching, ~F.text, ~F.location)
    router.callback_query.register(
        cb_menu_search, MenuCallback.filter(F.action == MenuAction.SEARCH)
    )
    router.callback_query.register(cb_results, SearchCallback.filter())
    return router
