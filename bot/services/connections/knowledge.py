"""The knowledge base: short articles by coordinators and answered peer questions, searched
with the same search engine as initiatives (a second, separate index over the articles, so
they get the same Dutch/English stemming, compounds, typos and vocabulary).

The index is rebuilt when the articles changed (a cheap fingerprint query tells), so every
process answers from the current articles without a shared cache."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.catalog.themes import THEMES
from bot.search import SearchDocument, SearchIndex
from bot.services.connections.errors import ConnectionsError
from bot.services.coordination import audit
from storage.models import KnowledgeArticle, PeerAnswer, PeerQuestion
from storage.repositories import Repo
from storage.starter_knowledge import article_values, starter_rows

logger = logging.getLogger(__name__)

TITLE_MAX, BODY_MAX = 160, 3500
RESULTS = 5
# The fields of an article, in the order a new one asks for them.
ARTICLE_FIELDS = ("title", "body", "title_en", "body_en", "keywords")
# Those an article may go without ("-" clears one).
OPTIONAL_FIELDS = ("title_en", "body_en", "keywords")


class KnowledgeError(ConnectionsError):
    pass


class ArticleNotFoundError(KnowledgeError):
    pass


class ArticleTextError(KnowledgeError):
    """A title or text is empty or too long; `limit` says how long it may be."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Hits:
    articles: list[KnowledgeArticle]
    total: int


_indexes: dict[str, tuple[str, SearchIndex]] = {}


def to_document(article: KnowledgeArticle) -> SearchDocument:
    """An article as the search engine reads it: titles as name, texts as description."""
    names = [article.title, article.title_en or ""]
    bodies = [article.body, article.body_en or ""]
    return SearchDocument(
        id=article.id,
        ref=article.ref,
        name=" — ".join(part for part in names if part),
        description="\n".join(part for part in bodies if part),
        themes=tuple(article.themes or ()),
        municipality="",
        neighbourhood="",
        keywords=tuple(article.keywords or ()),
        lat=None,
        lon=None,
    )


async def _index(repo: Repo) -> SearchIndex:
    url = getattr(repo.session.bind, "url", None)
    key = url.render_as_string(hide_password=True) if url is not None else ""
    fingerprint = await repo.knowledge.revision()
    cached = _indexes.get(key)
    if cached is not None and cached[0] == fingerprint and fingerprint:
        return cached[1]
    index = SearchIndex()
    index.build(to_document(article) for article in await repo.knowledge.all())
    _indexes[key] = (fingerprint, index)
    logger.info("knowledge index built with %s articles", len(index))
    return index


async def search(repo: Repo, query: str, *, limit: int = RESULTS) -> Hits:
    """The best articles for the words, in Dutch or English."""
    async with repo.read():
        index = await _index(repo)
        result = index.search(query, limit=limit)
        found = []
        for hit in result.hits:
            article = await repo.knowledge.get(hit.id)
            if article is not None:
                found.append(article)
    return Hits(found, result.total)


async def all_articles(repo: Repo) -> list[KnowledgeArticle]:
    async with repo.read():
        articles = list(await repo.knowledge.all())
    return articles


async def subjects(repo: Repo) -> list[KnowledgeArticle]:
    """Every article in the order the knowledge base lists them: the coordinators' articles
    first, then the newest answered questions."""
    everything = await all_articles(repo)
    curated = [article for article in everything if article.source != "peer"]
    answered = sorted(
        (article for article in everything if article.source == "peer"),
        key=lambda article: -article.id,
    )
    return curated + answered


async def get(repo: Repo, article_id: int) -> KnowledgeArticle:
    async with repo.read():
        article = await repo.knowledge.get(article_id)
    if article is None:
        raise ArticleNotFoundError(article_id)
    return article


def localized(article: KnowledgeArticle, locale: str) -> tuple[str, str]:
    """Title and text in the reader's language, Dutch where there is no English version."""
    if locale.startswith("en") and article.title_en and article.body_en:
        return article.title_en, article.body_en
    return article.title, article.body


def check_title(text: str | None) -> str:
    cleaned = " ".join((text or "").split())
    if not 3 <= len(cleaned) <= TITLE_MAX:
        raise ArticleTextError(TITLE_MAX)
    return cleaned


def check_body(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not 10 <= len(cleaned) <= BODY_MAX:
        raise ArticleTextError(BODY_MAX)
    return cleaned


def parse_keywords(text: str | None) -> list[str]:
    parts = [" ".join(part.split()) for part in (text or "").replace(";", ",").split(",")]
    return [part[:40] for part in parts if part][:12]


# The steps of a new article that "-" skips (no English title: no English text either).
_SKIPPABLE_STEPS = ("title_en", "keywords")


def read_step(step: str, text: str) -> Any:
    """The answer to one step of a new article: the field's value, or None when skipped."""
    if step in _SKIPPABLE_STEPS and text.strip() == "-":
        return None
    return check_field(step, text)


def step_after(step: str, value: Any) -> str | None:
    """The step that follows `step` answered with `value`; None when the article is complete."""
    if step == "title_en" and value is None:
        return "keywords"
    following = ARTICLE_FIELDS[ARTICLE_FIELDS.index(step) + 1 :]
    return following[0] if following else None


def check_field(field: str, text: str | None) -> Any:
    if field in ("title", "title_en"):
        return check_title(text)
    if field in ("body", "body_en"):
        return check_body(text)
    return parse_keywords(text)


async def add_article(
    repo: Repo,
    *,
    title: str,
    body: str,
    created_by: int | None,
    now: datetime,
    title_en: str | None = None,
    body_en: str | None = None,
    keywords: list[str] | None = None,
    themes: list[str] | None = None,
) -> KnowledgeArticle:
    """A coordinator's new article (the role is checked by the handler's filter)."""
    async with repo.write():
        article = await repo.knowledge.add(
            KnowledgeArticle(
                title=check_title(title),
                body=check_body(body),
                title_en=title_en,
                body_en=body_en,
                keywords=keywords or [],
                themes=[slug for slug in themes or [] if slug in THEMES],
                source="coordinator",
                created_by=created_by,
                created_at=now,
                updated_at=now,
            )
        )
        await repo.knowledge.bump_revision(now)
        await audit.record(
            repo,
            actor_id=created_by,
            action="knowledge.add",
            target=f"article:{article.id}",
            now=now,
        )
    logger.info("knowledge article %s added", article.id)
    return article


async def update_field(
    repo: Repo,
    article_id: int,
    field: str,
    text: str | None,
    *,
    actor_id: int | None,
    now: datetime,
) -> KnowledgeArticle:
    """Change one field; "-" clears an English version or the keywords."""
    if field not in ARTICLE_FIELDS:
        raise ArticleNotFoundError(article_id)
    clear = (text or "").strip() == "-" and field in OPTIONAL_FIELDS
    value: Any = ([] if field == "keywords" else None) if clear else check_field(field, text)
    async with repo.write():
        article = await repo.knowledge.get(article_id)
        if article is None:
            raise ArticleNotFoundError(article_id)
        setattr(article, field, value)
        article.updated_at = now
        await repo.knowledge.bump_revision(now)
        await audit.record(
            repo,
            actor_id=actor_id,
            action="knowledge.edit",
            target=f"article:{article_id}",
            details={"field": field},
            now=now,
        )
    return article


async def remove(repo: Repo, article_id: int, *, actor_id: int | None, now: datetime) -> str:
    """Remove an article for good; returns its title."""
    async with repo.write():
        article = await repo.knowledge.get(article_id)
        if article is None:
            raise ArticleNotFoundError(article_id)
        title = article.title
        await repo.knowledge.delete(article)
        await repo.knowledge.bump_revision(now)
        await audit.record(
            repo,
            actor_id=actor_id,
            action="knowledge.remove",
            target=f"article:{article_id}",
            now=now,
        )
    logger.info("knowledge article %s removed", article_id)
    return title


async def add_from_question(
    repo: Repo, question: PeerQuestion, answer: PeerAnswer, *, now: datetime
) -> KnowledgeArticle | None:
    """The question and its helpful answer as an article, without names. Does not commit."""
    if await repo.knowledge.by_question(question.id) is not None:
        return None
    title = " ".join(question.text.split())
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    await repo.knowledge.bump_revision(now)
    return await repo.knowledge.add(
        KnowledgeArticle(
            title=title,
            body=answer.text,
            themes=[question.theme],
            keywords=[],
            source="peer",
            question_id=question.id,
            created_at=now,
            updated_at=now,
        )
    )


async def load_seed_articles(repo: Repo, now: datetime) -> int:
    """Add the shipped articles that are not there yet; returns how many. Never commits.
    (Databases get them once through a migration; this is for a database made without one.)"""
    existing = await repo.knowledge.refs()
    added = 0
    for row in starter_rows():
        if row["ref"] in existing:
            continue
        await repo.knowledge.add(KnowledgeArticle(**article_values(row, now)))
        added += 1
    if added:
        await repo.knowledge.bump_revision(now)
    return added
