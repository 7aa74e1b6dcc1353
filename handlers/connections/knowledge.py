"""/kennis <words>: the knowledge base, searched like initiatives (Dutch and English, typos,
compounds); an article opens from the result list or a `?start=k_<id>` link. Coordinators
see edit and remove buttons under an article (see `knowledge_admin.py`)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.deeplinks import deep_link
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards.callbacks import KnowledgeAction, KnowledgeCallback, MenuAction, MenuCallback
from bot.keyboards.connections import article_admin_keyboard, articles_keyboard
from bot.services.connections import knowledge
from bot.views.knowledge import article_gone_text, article_text
from bot.views.messages import edit_or_keep
from storage.models import KnowledgeArticle, User
from storage.repositories import Repo


def _choices(articles: list[KnowledgeArticle], locale: str) -> list[tuple[int, str]]:
    return [(article.id, knowledge.localized(article, locale)[0][:60]) for article in articles]


async def _subjects(message: Message, repo: Repo, locale: str, page: int | None) -> None:
    """Every subject, a page at a time (`page` given: the list on screen turned to it)."""
    articles = await knowledge.subjects(repo)
    if not articles:
        await message.answer(_("The knowledge base is still empty."))
        return
    text = _(
        "📚 <b>Knowledge base</b>\nShort answers on rules and practical matters for "
        "initiatives. Tap a subject, or search with /knowledge and a few words, "
        "e.g. <i>/knowledge verzekering</i>."
    )
    keyboard = articles_keyboard(_choices(articles, locale), page or 0, paged=True)
    if page is None:
        await message.answer(text, reply_markup=keyboard)
    else:
        await edit_or_keep(message, text, keyboard)


async def _search(
    message: Message, words: str, repo: Repo, locale: str, *, page: int | None = None
) -> None:
    """The articles that fit the words, or (without words) every subject, a page at a time;
    `page` given: turn the list on screen to that page."""
    if not words:
        await _subjects(message, repo, locale, page)
        return
    hits = await knowledge.search(repo, words)
    if not hits.articles:
        await message.answer(
            _(
                "I found nothing about “{words}” in the knowledge base. Try other words, "
                "or ask other initiatives with /ask."
            ).format(words=html.escape(words))
        )
        return
    await message.answer(
        _("📚 What I found about “{words}”:").format(words=html.escape(words)),
        reply_markup=articles_keyboard(_choices(hits.articles, locale)),
    )


async def cmd_knowledge(message: Message, command: CommandObject, repo: Repo, locale: str) -> None:
    """/kennis: the subjects, or the articles that fit the words."""
    await _search(message, " ".join((command.args or "").split())[:200], repo, locale)


async def cb_menu_knowledge(query: CallbackQuery, repo: Repo, locale: str) -> None:
    """The menu's "Knowledge base" button: the list of subjects."""
    await query.answer()
    if isinstance(query.message, Message):
        await _search(query.message, "", repo, locale)


async def cb_list_page(
    query: CallbackQuery, callback_data: KnowledgeCallback, repo: Repo, locale: str
) -> None:
    """◀ ▶ under the list of subjects."""
    await query.answer()
    if isinstance(query.message, Message):
        page = int(callback_data.value) if callback_data.value.isdigit() else 0
        await _search(query.message, "", repo, locale, page=page)


def _markup(article: KnowledgeArticle, user: User) -> InlineKeyboardMarkup | None:
    return article_admin_keyboard(article.id) if user.is_coordinator else None


async def show_article(
    message: Message, article_id: int, user: User, repo: Repo, locale: str
) -> bool:
    try:
        article = await knowledge.get(repo, article_id)
    except knowledge.KnowledgeError:
        await message.answer(article_gone_text())
        return False
    await message.answer(article_text(article, locale), reply_markup=_markup(article, user))
    return True


async def cb_open(
    query: CallbackQuery, callback_data: KnowledgeCallback, user: User, repo: Repo, locale: str
) -> None:
    """An article picked from a list: its text."""
    await query.answer()
    if isinstance(query.message, Message):
        await show_article(query.message, callback_data.id, user, repo, locale)


@deep_link("k_")
async def open_article_link(message: Message, argument: str, data: HandlerData) -> bool | str:
    """`?start=k_<id>` opens that article."""
    if not argument.isdigit():
        return False
    try:
        await knowledge.get(data["repo"], int(argument))
    except knowledge.KnowledgeError:
        return article_gone_text()
    return await show_article(message, int(argument), data["user"], data["repo"], data["locale"])


def create_router() -> Router:
    router = Router(name="knowledge")
    router.message.register(cmd_knowledge, Command("kennis", "knowledge"))
    router.callback_query.register(
        cb_menu_knowledge, MenuCallback.filter(F.action == MenuAction.KNOWLEDGE)
    )
    router.callback_query.register(
        cb_open, KnowledgeCallback.filter(F.action == KnowledgeAction.OPEN)
    )
    router.callback_query.register(
        cb_list_page, KnowledgeCallback.filter(F.action == KnowledgeAction.LIST)
    )
    return router
