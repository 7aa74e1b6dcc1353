"""The knowledge base: /kennis searches the articles with the same engine as initiatives, in
Dutch and English (typos, compounds, both language versions); coordinators add, change and
remove articles in the chat; residents cannot."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import KnowledgeCallback, MenuAction
from bot.services.connections import knowledge
from storage import migrate
from storage.base import Base
from storage.engine import create_engine, create_session_pool
from storage.models import KnowledgeArticle
from storage.repositories import Repo
from storage.starter_knowledge import starter_rows
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import audit_trail
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows


def tap(user: Any, action: str, ident: int = 0, value: str = "") -> Any:
    return callback_update(user, KnowledgeCallback(action=action, id=ident, value=value).pack())


async def _seed(repo: Repo, clock: FakeClock) -> dict[str, int]:
    async with repo.write():
        await knowledge.load_seed_articles(repo, clock.now())
    articles = (await repo.session.execute(select(KnowledgeArticle))).scalars().all()
    refs = {str(article.ref): article.id for article in articles}
    await repo.session.commit()
    return refs


async def _search(feed: Feeder, bot_api: MockedBotAPI, user: Any, text: str) -> SendMessage:
    await feed(message_update(user, text))
    return bot_api.take(SendMessage)


async def test_search_finds_articles_in_dutch_with_typos_and_compounds(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await _seed(repo, clock)
    anna = make_user(language_code="nl")
    found = await _search(feed, bot_api, anna, "/kennis verzekering vrijwiligers")
    assert found.text == "📚 Dit vond ik over “verzekering vrijwiligers”:"
    assert button_rows(found.reply_markup) == [["📄 Vrijwilligersbeleid en verzekering"]]
    found = await _search(feed, bot_api, anna, "/kennis privacywet")
    assert button_rows(found.reply_markup) == [["📄 AVG voor bewonersinitiatieven"]]
    found = await _search(feed, bot_api, anna, "/kennis evenementenvergunning")
    assert button_rows(found.reply_markup) == [["📄 Subsidies en vergunningen"]]
    found = await _search(feed, bot_api, anna, "/kennis huishoudelijk reglement")
    assert button_rows(found.reply_markup)[0] == ["📄 Huishoudelijk reglement"]
    nothing = await _search(feed, bot_api, anna, "/kennis pannenkoeken")
    assert nothing.text == (
        "Ik vond niets over “pannenkoeken” in de kennisbank. Probeer andere woorden, of vraag "
        "het andere initiatieven met /vraag."
    )


async def test_search_in_english_shows_the_english_version(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    refs = await _seed(repo, clock)
    emma = make_user(language_code="en")
    found = await _search(feed, bot_api, emma, "/knowledge volunteer insurance")
    assert found.text == "📚 What I found about “volunteer insurance”:"
    assert button_rows(found.reply_markup) == [["📄 Volunteer policy and insurance"]]
    found = await _search(feed, bot_api, emma, "/kennis board supervision")
    assert button_rows(found.reply_markup)[0] == ["📄 Board and supervision"]
    found = await _search(feed, bot_api, emma, "/kennis GDPR photos")
    assert button_rows(found.reply_markup)[0] == ["📄 GDPR for residents' initiatives"]

    await feed(tap(emma, "open", refs["kb-reglement"]))
    bot_api.take(AnswerCallbackQuery)
    article = bot_api.take(SendMessage)
    assert article.text.startswith(
        "📄 <b>House rules</b>\n\nHouse rules (huishoudelijk reglement) are the practical "
        "agreements next to the articles of association."
    )
    assert article.reply_markup is None


async def test_kennis_without_words_lists_the_subjects(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    assert (await _search(feed, bot_api, anna, "/kennis")).text == "De kennisbank is nog leeg."
    await _seed(repo, clock)
    listing = await _search(feed, bot_api, anna, "/kennis")
    assert listing.text.startswith("📚 <b>Kennisbank</b>\n")
    assert button_rows(listing.reply_markup) == [
        ["📄 AVG voor bewonersinitiatieven"],
        ["📄 Bestuur en toezicht"],
        ["📄 Vrijwilligersbeleid en verzekering"],
        ["📄 Huishoudelijk reglement"],
        ["📄 Subsidies en vergunningen"],
    ]


async def test_coordinator_adds_changes_and_removes_an_article(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    steps = [
        ("/kennisnieuw", "📝 Nieuw artikel. Wat is de <b>titel</b>?"),
        ("Een ruimte huren", "Nu de <b>tekst</b>: kort en in gewone taal (hooguit 3500 tekens)."),
        ("Veel buurthuizen verhuren zalen voor een klein bedrag.", "De <b>Engelse titel</b>?"),
        ("-", "<b>Trefwoorden</b> waarop mensen zoeken"),
        ("zaalhuur, buurthuis", "<b>Voorbeeld</b>"),
    ]
    for text, expected in steps:
        await feed(message_update(kees, text))
        reply = bot_api.take(SendMessage)
        assert reply.text.startswith(expected), reply.text
    assert reply.text == (
        "<b>Voorbeeld</b>\n\n📄 <b>Een ruimte huren</b>\n\nVeel buurthuizen verhuren zalen "
        "voor een klein bedrag.\n\n🔑 zaalhuur, buurthuis"
    )
    assert button_rows(reply.reply_markup) == [["✅ Bewaren", "✖️ Stoppen"]]
    await feed(tap(kees, "save"))
    assert bot_api.take(AnswerCallbackQuery).text == "Opgeslagen."
    saved = bot_api.take(EditMessageText)
    assert button_rows(saved.reply_markup) == [["✏️ Aanpassen", "🗑 Weghalen"]]
    (article,) = (await repo.session.execute(select(KnowledgeArticle))).scalars().all()
    ident = article.id
    assert (article.title, article.keywords, article.source, article.title_en) == (
        "Een ruimte huren",
        ["zaalhuur", "buurthuis"],
        "coordinator",
        None,
    )
    await repo.session.commit()
    found = await _search(feed, bot_api, make_user(language_code="nl"), "/kennis buurthuis")
    assert button_rows(found.reply_markup) == [["📄 Een ruimte huren"]]

    await feed(tap(kees, "edit", ident))
    bot_api.take(AnswerCallbackQuery)
    fields = bot_api.take(EditMessageReplyMarkup)
    assert button_rows(fields.reply_markup) == [
        ["Titel", "Tekst"],
        ["Engelse titel", "Engelse tekst"],
        ["Trefwoorden", "⬅️ Terug"],
    ]
    await feed(tap(kees, "field", ident, "title_en"))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Typ de nieuwe engelse titel. Typ - om het leeg te maken."
    )
    await feed(message_update(kees, "x"))
    assert bot_api.take(SendMessage).text == (
        "Dat past niet: schrijf minstens een paar woorden en hooguit 160 tekens."
    )
    await feed(message_update(kees, "Renting a room"))
    changed = bot_api.take(SendMessage)
    assert changed.text.startswith("✅ Aangepast.\n\n📄 <b>Een ruimte huren</b>")
    found = await _search(feed, bot_api, make_user(language_code="en"), "/knowledge renting")
    assert button_rows(found.reply_markup) == [["📄 Een ruimte huren"]]

    await feed(tap(kees, "del", ident))
    bot_api.take(AnswerCallbackQuery)
    confirm = bot_api.take(EditMessageReplyMarkup)
    assert button_rows(confirm.reply_markup) == [["🗑 Ja, weghalen", "Niet verwijderen"]]
    await feed(tap(kees, "delyes", ident))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "🗑 <b>Een ruimte huren</b> is uit de kennisbank gehaald."
    )
    gone = await _search(feed, bot_api, make_user(language_code="nl"), "/kennis buurthuis")
    assert gone.text.startswith("Ik vond niets over “buurthuis”")
    assert await audit_trail(repo) == [
        (kees.id, "knowledge.add", f"article:{ident}"),
        (kees.id, "knowledge.edit", f"article:{ident}"),
        (kees.id, "knowledge.remove", f"article:{ident}"),
    ]


async def test_residents_cannot_write_or_remove_articles(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    refs = await _seed(repo, clock)
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/kennisnieuw"))
    assert bot_api.take(SendMessage).text == "Sorry, dit kunnen alleen coördinatoren doen."
    await feed(tap(anna, "delyes", refs["kb-avg"]))
    assert bot_api.take(AnswerCallbackQuery).text == "Sorry, dit kunnen alleen coördinatoren doen."
    assert await repo.knowledge.get(refs["kb-avg"]) is not None


async def test_menu_buttons_open_the_knowledge_base_and_questions(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.keyboards.callbacks import MenuCallback

    await _seed(repo, clock)
    emma = make_user(language_code="en")
    await feed(callback_update(emma, MenuCallback(action=MenuAction.KNOWLEDGE).pack()))
    bot_api.take(AnswerCallbackQuery)
    listing = bot_api.take(SendMessage)
    assert listing.text.startswith("📚 <b>Knowledge base</b>\nShort answers on rules")
    assert button_rows(listing.reply_markup)[0] == ["📄 GDPR for residents' initiatives"]
    await feed(callback_update(emma, MenuCallback(action=MenuAction.ASK).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "No initiative has offered to answer questions yet. Meanwhile, look in the knowledge "
        "base: /knowledge"
    )


async def test_a_link_opens_an_article_and_coordinators_see_the_edit_buttons(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    refs = await _seed(repo, clock)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, f"/start k_{refs['kb-avg']}"))
    article = bot_api.take(SendMessage)
    assert article.text.startswith("📄 <b>AVG voor bewonersinitiatieven</b>\n\nDe AVG")
    assert button_rows(article.reply_markup) == [["✏️ Aanpassen", "🗑 Weghalen"]]
    await feed(message_update(make_user(language_code="en"), "/start k_999999"))
    assert bot_api.take(SendMessage).text.startswith(
        "This article doesn't exist (any more).\n\nHi "
    )


async def test_starter_articles_ship_with_every_database_and_removed_ones_stay_away(
    database_url: str,
) -> None:
    """Not demo data: a fresh database gets the starter articles from its migrations, so
    `/kennis verzekering` answers with a real token too; a coordinator's removal sticks."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        await migrate.upgrade(engine)
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            found = await knowledge.search(repo, "verzekering")
            assert [a.title for a in found.articles][:1] == ["Vrijwilligersbeleid en verzekering"]
            refs = sorted(str(a.ref) for a in await knowledge.all_articles(repo))
            assert refs == sorted(row["ref"] for row in starter_rows())
            ids = {a.ref: a.id for a in await knowledge.all_articles(repo)}
            await knowledge.remove(
                repo, ids["kb-vrijwilligers"], actor_id=None, now=datetime.now(UTC)
            )
        await migrate.upgrade(engine)  # the next start
        async with create_session_pool(engine)() as session:
            repo = Repo(session)
            assert "kb-vrijwilligers" not in {a.ref for a in await knowledge.all_articles(repo)}
        await migrate.downgrade(engine)
    finally:
        await engine.dispose()


def test_a_new_article_asks_its_steps_in_order_and_skips_what_may_be_skipped() -> None:
    assert knowledge.step_after("title", "Een ruimte huren") == "body"
    assert knowledge.step_after("body", "Veel buurthuizen verhuren zalen.") == "title_en"
    assert knowledge.step_after("title_en", "Renting a room") == "body_en"
    assert knowledge.step_after("title_en", None) == "keywords"  # no English version at all
    assert knowledge.step_after("body_en", "Many community centres rent rooms.") == "keywords"
    assert knowledge.step_after("keywords", ["zaalhuur"]) is None
    assert knowledge.read_step("title_en", " - ") is None
    assert knowledge.read_step("keywords", "-") is None
    with pytest.raises(knowledge.ArticleTextError):
        knowledge.read_step("body", "-")  # the text itself cannot be skipped
