"""The knowledge base's screens."""

from __future__ import annotations

import html

from bot.i18n import _
from bot.services.connections import knowledge
from storage.models import KnowledgeArticle


def article_text(article: KnowledgeArticle, locale: str) -> str:
    title, body = knowledge.localized(article, locale)
    text = f"📄 <b>{html.escape(title)}</b>\n\n{html.escape(body)}"
    if article.source == "peer":
        text += "\n\n" + _("💡 Answered by another initiative in Samenspel.")
    return text
