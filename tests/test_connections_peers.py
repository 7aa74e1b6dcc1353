"""Questions to peers: only members of initiatives that opted in on the theme get a question,
at most five, least recently asked first, through the outbox and outside quiet hours; answers
are relayed back, the asker marks the helpful one, and with both sides' consent the question
and answer join the knowledge base without names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import Message
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import PeerCallback
from bot.notifications.registry import get_kind
from bot.quiet_hours import quiet_hours_end
from bot.services.connections import help_offers
from bot.services.connections import peer_questions as peers
from storage.models import KnowledgeArticle
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.connections_support import mark_sent, outbox_rows, render
from tests.factories import callback_update, make_user, message_update, private_chat
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import BOT_USER, MockedBotAPI, button_rows

TZ = ZoneInfo("Europe/Amsterdam")


def tap(user: Any, action: str, ident: int = 0, value: str = "") -> Any:
    return callback_update(user, PeerCallback(action=action, id=ident, value=value).pack())


async def _helpers(repo: Repo, now: datetime, count: int) -> list[Any]:
    """`count` helpers, each the member of a published initiative that helps on sustainability."""
    helpers = []
    for number in range(count):
        person = make_user(first_name=f"Helper{number}", language_code="en")
        await add_person(repo, person, now)
        initiative = await add_initiative(
            repo, now, name=f"Repair Café {number}", owners=(person.id,)
        )
        await help_offers.toggle_offer(repo, initiative.id, person.id, "duurzaamheid", now=now)
        helpers.append(person)
    return helpers


async def test_question_goes_only_to_opted_in_members_least_recently_asked_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    now = clock.now()
    helpers = await _helpers(repo, now, 7)
    # Not opted in, opted in on another theme, opted in but not published: never asked.
    others = [make_user(first_name=name) for name in ("Niet", "Ouder", "Concept")]
    for person in others:
        await add_person(repo, person, now)
    await add_initiative(repo, now, name="Stille tuin", owners=(others[0].id,))
    elders = await add_initiative(repo, now, name="Ouderenclub", owners=(others[1].id,))
    await help_offers.toggle_offer(repo, elders.id, others[1].id, "ouderen", now=now)
    hidden = await add_initiative(repo, now, name="Concept", owners=(others[2].id,), status="draft")
    await repo.connections.add_offer(hidden.id, "duurzaamheid", others[2].id, now)
    await repo.session.commit()

    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/vraag"))
    picker = bot_api.take(SendMessage)
    assert picker.text == (
        "🙋 <b>Vraag het andere initiatieven</b>\nWaar gaat je vraag over? Ik stuur hem naar "
        "een paar leden van initiatieven die op dat thema hulp aanbieden. Ze zien je naam niet."
    )
    assert button_rows(picker.reply_markup) == [["Duurzaamheid", "Ouderen"], ["✖️ Stoppen"]]
    await feed(tap(anna, "theme", value="duurzaamheid"))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "🙋 Thema: <b>Duurzaamheid</b>\nTyp nu je vraag in één bericht."
    )
    await feed(message_update(anna, "Hoe regelen jullie de verzekering bij een repair café?"))
    assert bot_api.take(SendMessage).text == (
        "✅ Je vraag is verstuurd naar 5 mensen van initiatieven die helpen bij "
        "<b>Duurzaamheid</b>. Hun antwoorden komen hier. Tik op 👍 onder het antwoord dat je "
        "hielp."
    )
    rows = await outbox_rows(repo, "peer.question")
    assert [row.recipient_id for row in rows] == [person.id for person in helpers[:5]]
    assert {(row.urgent, row.due_at, row.status) for row in rows} == {(False, now, "pending")}

    clock.advance(timedelta(hours=1))
    bob = make_user(first_name="Bob", language_code="en")
    await add_person(repo, bob, clock.now())
    _question, count = await peers.ask(
        repo, bob.id, "duurzaamheid", "Where do you get spare parts?", now=clock.now(), tz=TZ
    )
    assert count == 5
    second = (await outbox_rows(repo, "peer.question"))[5:]
    never_asked, least_recent = helpers[5:], helpers[:3]
    assert [row.recipient_id for row in second] == [p.id for p in never_asked + least_recent]


async def test_questions_wait_for_the_end_of_quiet_hours(
    repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    clock.set(datetime(2026, 3, 2, 22, 30, tzinfo=UTC))  # 23:30 in Amsterdam
    helpers = await _helpers(repo, clock.now(), 1)
    asker = make_user(first_name="Anna")
    await add_person(repo, asker, clock.now())
    await peers.ask(repo, asker.id, "duurzaamheid", "Hebben jullie tips?", now=clock.now(), tz=TZ)

    (row,) = await outbox_rows(repo, "peer.question")
    assert row.recipient_id == helpers[0].id and not row.urgent
    kind = get_kind("peer.question")
    assert kind is not None and not kind.urgent
    assert get_kind("peer.answer") is not None and not get_kind("peer.answer").urgent  # type: ignore[union-attr]
    assert quiet_hours_end(row.due_at, settings.tz) == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


async def test_answers_are_relayed_marked_helpful_and_shared_with_consent(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    now = clock.now()
    first, second, third = await _helpers(repo, now, 3)
    anna = make_user(first_name="Anna", username="anna_u", language_code="nl")
    await add_person(repo, anna, now)
    question, _count = await peers.ask(
        repo,
        anna.id,
        "duurzaamheid",
        "Hoe vinden jullie vrijwilligers voor de reparaties?",
        now=now,
        tz=TZ,
    )
    question_id = question.id
    asked = {row.recipient_id: row for row in await outbox_rows(repo, "peer.question")}
    second_row_id = asked[second.id].id
    shown = await render(repo, asked[first.id], settings, now, "en")
    assert shown is not None and shown.text == (
        "🙋 <b>A question about Sustainability</b>\nSomeone in Samenspel asks the initiatives "
        "that offered to help:\n<blockquote>Hoe vinden jullie vrijwilligers voor de reparaties?"
        "</blockquote>\nCan you answer? Tap ✍️ Answer or simply reply to this message. Your "
        "answer goes back with the name of your initiative, not yours."
    )
    assert button_rows(shown.reply_markup) == [["✍️ Answer", "🙅 Can't help"]]
    assert "Anna" not in shown.text and "anna_u" not in shown.text

    # The first helper answers with the button.
    await feed(tap(first, "answer", question_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "✍️ Type your answer. It goes back with the name of your initiative, not yours."
    )
    await feed(message_update(first, "Via de buurtkrant en een flyer bij de supermarkt."))
    assert bot_api.take(SendMessage).text == "✅ Thank you! Your answer was passed on."
    (relayed,) = await outbox_rows(repo, "peer.answer")
    answer_id = relayed.params["answer_id"]
    assert (relayed.recipient_id, relayed.urgent) == (anna.id, False)
    shown = await render(repo, relayed, settings, now, "nl")
    assert shown is not None and shown.text == (
        "💡 <b>Een antwoord op je vraag</b> van iemand van <b>Repair Café 0</b>:\n"
        "<blockquote>Via de buurtkrant en een flyer bij de supermarkt.</blockquote>\n"
        "Je vraag: <i>Hoe vinden jullie vrijwilligers voor de reparaties?</i>"
    )
    assert button_rows(shown.reply_markup) == [["👍 Dit hielp mij"]]
    assert "Helper0" not in shown.text

    # The second answers with Telegram's reply; the third can't help.
    await mark_sent(repo, second_row_id, 777)
    original = Message(
        message_id=777, date=datetime.now(UTC), chat=private_chat(second), from_user=BOT_USER
    )
    await feed(
        message_update(second, "Wij vragen het aan de bezoekers zelf.", reply_to_message=original)
    )
    assert bot_api.take(SendMessage).text == "✅ Thank you! Your answer was passed on."
    await feed(tap(second, "answer", question_id))
    assert (
        bot_api.take(AnswerCallbackQuery).text == "You answered this question already. Thank you!"
    )
    await feed(tap(third, "skip", question_id))
    assert bot_api.take(AnswerCallbackQuery).text == "No problem. I'll ask someone else."
    bot_api.take(EditMessageReplyMarkup)
    assert len(await outbox_rows(repo, "peer.answer")) == 2

    # Anna marks the first answer; only she may.
    await feed(tap(second, "helpful", answer_id))
    assert bot_api.take(AnswerCallbackQuery).text == "This question is no longer open for you."
    await feed(tap(anna, "helpful", answer_id))
    assert bot_api.take(AnswerCallbackQuery).text == "Dank je wel! Ik laat het de helper weten."
    bot_api.take(EditMessageReplyMarkup)
    consent = bot_api.take(SendMessage)
    assert consent.text == (
        "Mogen we je vraag en dit antwoord in de kennisbank zetten, zonder namen? Dan vinden "
        "anderen het ook. We doen het alleen als de helper het ook goed vindt."
    )
    assert button_rows(consent.reply_markup) == [["✅ Ja, deel het", "Nee, liever niet"]]
    (thanks,) = await outbox_rows(repo, "peer.thanks")
    assert thanks.recipient_id == first.id
    shown = await render(repo, thanks, settings, now, "en")
    assert shown is not None and shown.text == (
        "👍 Your answer to the question about Sustainability helped! May we add the question "
        "and your answer to the knowledge base, without any names, so others can find it too?"
    )
    assert button_rows(shown.reply_markup) == [["✅ Yes, share it", "No, thanks"]]

    await feed(tap(anna, "cyes", answer_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "Dank je wel! Als de ander het ook goed vindt, komt het in de kennisbank."
    )
    assert (await repo.session.execute(select(KnowledgeArticle))).scalars().all() == []
    await repo.session.commit()
    await feed(tap(first, "cyes", answer_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "🎉 Thank you! It's in the knowledge base now (without names): /knowledge"
    )
    (article,) = (await repo.session.execute(select(KnowledgeArticle))).scalars().all()
    assert (article.title, article.body, article.source, article.themes) == (
        "Hoe vinden jullie vrijwilligers voor de reparaties?",
        "Via de buurtkrant en een flyer bij de supermarkt.",
        "peer",
        ["duurzaamheid"],
    )
    await repo.session.commit()

    await feed(message_update(make_user(language_code="en"), "/kennis vrijwilliger reparatie"))
    found = bot_api.take(SendMessage)
    assert found.text == "📚 What I found about “vrijwilliger reparatie”:"
    assert button_rows(found.reply_markup) == [
        ["📄 Hoe vinden jullie vrijwilligers voor de reparaties?"]
    ]


async def test_a_helper_who_cannot_help_passes_the_question_on(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    helpers = await _helpers(repo, clock.now(), 6)
    asker = make_user(first_name="Anna")
    await add_person(repo, asker, clock.now())
    question, _count = await peers.ask(
        repo,
        asker.id,
        "duurzaamheid",
        "Welke gereedschappen zijn onmisbaar?",
        now=clock.now(),
        tz=TZ,
    )
    await feed(tap(helpers[0], "skip", question.id))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    rows = await outbox_rows(repo, "peer.question")
    assert [row.recipient_id for row in rows] == [person.id for person in helpers]


async def test_daily_question_limit_and_no_helpers(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/vraag"))
    assert bot_api.take(SendMessage).text == (
        "Nog geen initiatief heeft aangeboden om vragen te beantwoorden. Kijk intussen in de "
        "kennisbank: /kennis"
    )
    await _helpers(repo, clock.now(), 1)
    for number in range(peers.DAILY_QUESTIONS):
        await peers.ask(
            repo, anna.id, "duurzaamheid", f"Vraag nummer {number}?", now=clock.now(), tz=TZ
        )
    await feed(tap(anna, "theme", value="duurzaamheid"))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageText)
    await feed(message_update(anna, "Nog een vraag dan?"))
    assert bot_api.take(SendMessage).text == (
        "Je hebt vandaag 3 vragen gesteld; meer kan niet. Probeer het morgen weer."
    )


async def test_members_switch_help_on_themes_on_and_off(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    initiative = await add_initiative(
        repo, clock.now(), owners=(emma.id,), themes=["duurzaamheid", "ouderen"]
    )
    ident = initiative.id
    await feed(message_update(emma, "/helpen"))
    view = bot_api.take(SendMessage)
    assert view.text == (
        "🤝 <b>Repair Café Lombok</b> answers questions from others on the ticked themes. "
        "Tap a theme to switch it on or off."
    )
    assert button_rows(view.reply_markup)[0] == ["Sustainability", "Older people"]
    await feed(tap(emma, "offer", ident, "ouderen"))
    bot_api.take(AnswerCallbackQuery)
    edited = bot_api.take(EditMessageText)
    assert button_rows(edited.reply_markup)[0] == ["Sustainability", "✓ Older people"]
    assert button_rows(edited.reply_markup)[-1] == ["✅ Done"]
    assert await repo.connections.offers_of(ident) == {"ouderen"}
    await repo.session.commit()

    stranger = make_user(first_name="Mallory", language_code="en")
    await feed(tap(stranger, "offer", ident, "armoede"))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "This initiative is no longer yours to change."
    )
    assert await repo.connections.offers_of(ident) == {"ouderen"}


async def test_a_question_to_one_person_says_so_in_the_singular(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await _helpers(repo, clock.now(), 1)
    await repo.session.commit()
    for language, expected in (
        ("nl", "✅ Je vraag is verstuurd naar 1 persoon van initiatieven die helpen bij "
               "<b>Duurzaamheid</b>. Het antwoord komt hier."),
        ("en", "✅ Your question was sent to 1 person of initiatives that help with "
               "<b>Sustainability</b>. Their answer will come here."),
    ):  # fmt: skip
        asker = make_user(language_code=language)
        await feed(message_update(asker, "/vraag"))
        bot_api.take(SendMessage)
        await feed(tap(asker, "theme", value="duurzaamheid"))
        bot_api.take(AnswerCallbackQuery), bot_api.take(EditMessageText)
        await feed(message_update(asker, "How do you insure the volunteers at a repair café?"))
        assert bot_api.take(SendMessage).text.startswith(expected)


async def test_a_draft_without_a_name_is_a_choice_with_words_on_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    await add_initiative(repo, clock.now(), owners=(anna.id,))
    await add_initiative(repo, clock.now(), owners=(anna.id,), name="", status="draft")
    await feed(message_update(anna, "/helpen"))
    choice = bot_api.take(SendMessage)
    assert choice.text == "Voor welk initiatief?"
    assert button_rows(choice.reply_markup) == [["(nog zonder naam)"], ["Repair Café Lombok"]]
