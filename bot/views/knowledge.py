"""The knowledge base's screens."""

from __future__ import annotations

import html
from typing import Any

from bot.i18n import _
from bot.services.connections import knowledge
from storage.models import KnowledgeArticle


def article_text(article: KnowledgeArticle, locale: str) -> str:
    title, body = knowledge.localized(article, locale)
    text = f"📄 <b>{html.escape(title)}</b>\n\n{html.escape(body)}"
    if article.source == "peer":
        text += "\n\n" + _("💡 Answered by another initiative in Samenspel.")
    return text


def field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "body": _("Text"),
        "title_en": _("English title"),
        "body_en": _("English text"),
        "keywords": _("Keywords"),
    }


def step_question(step: str) -> str:
    """The question of one step of writing a new article."""
    questions = {
        "title": _("📝 New article. What is the <b>title</b>? (e.g. “AVG voor initiatieven”)"),
        "body": _("Now the <b>text</b>: short and in plain Dutch (up to {limit} characters)."),
        "title_en": _("The <b>English title</b>? Type - to skip the English version."),
        "body_en": _("The <b>English text</b>?"),
        "keywords": _(
            "<b>Keywords</b> that people might search for, separated by commas? Type - to skip."
        ),
    }
    return questions[step].format(limit=knowledge.BODY_MAX)


def new_value_question(field: str) -> str:
    """Asks for a new value of one field of an article."""
    hint = _("Type the new {field}.").format(field=field_labels()[field].lower())
    if field in knowledge.OPTIONAL_FIELDS:
        hint += " " + _("Type - to clear it.")
    return hint


def article_text_problem(exc: knowledge.ArticleTextError) -> str:
    return _("That doesn't fit: write at least a few words and at most {limit} characters.").format(
        limit=exc.limit
    )


def article_preview(draft: dict[str, Any]) -> str:
    """A new article as it will be saved, above the button that saves it."""
    preview = f"📄 <b>{html.escape(str(draft['title']))}</b>\n\n{html.escape(str(draft['body']))}"
    if draft.get("title_en"):
        preview += f"\n\n🇬🇧 <b>{html.escape(str(draft['title_en']))}</b>\n\n"
        preview += html.escape(str(draft.get("body_en") or ""))
    if draft.get("keywords"):
        preview += "\n\n🔑 " + html.escape(", ".join(draft["keywords"]))
    return _("<b>Preview</b>") + "\n\n" + preview


def removed_text(title: str) -> str:
    return _("🗑 <b>{title}</b> was removed from the knowledge base.").format(
        title=html.escape(title)
    )


def changed_text(article: KnowledgeArticle, locale: str) -> str:
    """A field of an article changed: the article as it is now."""
    return _("✅ Changed.") + "\n\n" + article_text(article, locale)


def article_gone_text() -> str:
    return _("This article doesn't exist (any more).")
