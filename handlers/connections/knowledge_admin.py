"""Coordinators keep the knowledge base in the chat: /kennisnieuw writes an article step by
step (title, text, optional English version, keywords, preview), the buttons under an article
change one field or remove it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.filters.messages import TypedText
from bot.filters.roles import IsCoordinator
from bot.i18n import _
from bot.keyboards.callbacks import KnowledgeAction, KnowledgeCallback
from bot.keyboards.connections import (
    article_admin_keyboard,
    article_fields_keyboard,
    confirm_remove_keyboard,
    kb_cancel_keyboard,
    save_article_keyboard,
)
from bot.services.connections import knowledge
from bot.states import ArticleStates
from bot.views.knowledge import (
    article_gone_text,
    article_preview,
    article_text,
    article_text_problem,
    changed_text,
    field_labels,
    new_value_question,
    removed_text,
    step_question,
)
from storage.models import User
from storage.repositories import Repo


async def cmd_new_article(message: Message, state: FSMContext) -> None:
    """/kennisnieuw: asks for the title of a new article."""
    await state.set_state(ArticleStates.new)
    await state.set_data({"step": "title"})
    await message.answer(step_question("title"), reply_markup=kb_cancel_keyboard())


async def article_step(message: Message, state: FSMContext) -> None:
    """One answer while writing an article; the next question, or the preview."""
    data = await state.get_data()
    step = str(data["step"])
    try:
        data[step] = knowledge.read_step(step, message.text or "")
    except knowledge.ArticleTextError as exc:
        await message.answer(article_text_problem(exc), reply_markup=kb_cancel_keyboard())
        return
    data["step"] = knowledge.step_after(step, data[step]) or "preview"
    await state.set_data(data)
    if data["step"] == "preview":
        await message.answer(article_preview(data), reply_markup=save_article_keyboard())
    else:
        await message.answer(step_question(data["step"]), reply_markup=kb_cancel_keyboard())


async def cb_save(
    query: CallbackQuery, state: FSMContext, user: User, repo: Repo, clock: Clock, locale: str
) -> None:
    """✅ Save under the preview: the article is in the knowledge base."""
    data = await state.get_data()
    if await state.get_state() != ArticleStates.new.state or data.get("step") != "preview":
        await query.answer(_("This preview is no longer open."), show_alert=True)
        return
    article = await knowledge.add_article(
        repo,
        title=str(data["title"]),
        body=str(data["body"]),
        title_en=data.get("title_en"),
        body_en=data.get("body_en"),
        keywords=list(data.get("keywords") or []),
        created_by=user.id,
        now=clock.now(),
    )
    await state.clear()
    await query.answer(_("Saved."))
    if isinstance(query.message, Message):
        await query.message.edit_text(
            article_text(article, locale), reply_markup=article_admin_keyboard(article.id)
        )


async def cb_cancel(query: CallbackQuery, state: FSMContext) -> None:
    """✖️ Cancel while writing or changing an article: nothing is saved."""
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Cancelled. Nothing was saved."))


async def cb_edit(query: CallbackQuery, callback_data: KnowledgeCallback) -> None:
    """✏️ Edit under an article: which field?"""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=article_fields_keyboard(callback_data.id, field_labels())
        )


async def cb_field(
    query: CallbackQuery, callback_data: KnowledgeCallback, state: FSMContext
) -> None:
    """A field picked: asks for its new value."""
    if callback_data.value not in knowledge.ARTICLE_FIELDS:
        await query.answer(_("This button no longer works. Type /menu to start again."))
        return
    await query.answer()
    await state.set_state(ArticleStates.edit)
    await state.set_data({"article_id": callback_data.id, "field": callback_data.value})
    if isinstance(query.message, Message):
        await query.message.answer(
            new_value_question(callback_data.value), reply_markup=kb_cancel_keyboard()
        )


async def article_edit(
    message: Message, state: FSMContext, repo: Repo, clock: Clock, locale: str
) -> None:
    """The new value of one field: saved, and the article shown again."""
    data = await state.get_data()
    try:
        article = await knowledge.update_field(
            repo,
            int(data["article_id"]),
            str(data["field"]),
            message.text,
            actor_id=message.from_user.id if message.from_user else None,
            now=clock.now(),
        )
    except knowledge.ArticleTextError as exc:
        await message.answer(article_text_problem(exc), reply_markup=kb_cancel_keyboard())
        return
    except knowledge.KnowledgeError:
        await state.clear()
        await message.answer(article_gone_text())
        return
    await state.clear()
    await message.answer(
        changed_text(article, locale), reply_markup=article_admin_keyboard(article.id)
    )


async def cb_remove(query: CallbackQuery, callback_data: KnowledgeCallback) -> None:
    """🗑 Remove under an article: asks to confirm."""
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=confirm_remove_keyboard(callback_data.id)
        )


async def cb_remove_yes(
    query: CallbackQuery, callback_data: KnowledgeCallback, repo: Repo, clock: Clock
) -> None:
    """Removal confirmed: the article is gone."""
    try:
        title = await knowledge.remove(
            repo, callback_data.id, actor_id=query.from_user.id, now=clock.now()
        )
    except knowledge.KnowledgeError:
        await query.answer(article_gone_text(), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(removed_text(title))


def create_router() -> Router:
    router = Router(name="knowledge_admin")
    router.message.register(cmd_new_article, Command("kennisnieuw", "newarticle"), IsCoordinator())
    router.message.register(article_step, ArticleStates.new, TypedText())
    router.message.register(article_edit, ArticleStates.edit, TypedText())
    admin = KnowledgeCallback.filter
    router.callback_query.register(cb_cancel, admin(F.action == KnowledgeAction.CANCEL))
    router.callback_query.register(
        cb_save, admin(F.action == KnowledgeAction.SAVE), IsCoordinator()
    )
    router.callback_query.register(
        cb_edit, admin(F.action == KnowledgeAction.EDIT), IsCoordinator()
    )
    router.callback_query.register(
        cb_field, admin(F.action == KnowledgeAction.FIELD), IsCoordinator()
    )
    router.callback_query.register(
        cb_remove, admin(F.action == KnowledgeAction.DEL), IsCoordinator()
    )
    router.callback_query.register(
        cb_remove_yes, admin(F.action == KnowledgeAction.DELYES), IsCoordinator()
    )
    return router
