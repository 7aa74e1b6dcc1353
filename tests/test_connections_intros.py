"""Introductions with consent: the first message and replies are relayed both ways through
the outbox without names or ids until a side shares its contact; a daily limit per sender;
report alerts the coordinators; blocked senders stay blocked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import Message
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import IntroAction, IntroCallback, SearchItemAction
from bot.services.connections import introductions as intro
from storage.engine import SessionPool
from storage.models import IntroThread, SenderBlock
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.connections_support import mark_sent, outbox_rows, render
from tests.factories import callback_update, make_user, message_update, private_chat
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import BOT_USER, MockedBotAPI, button_rows

TZ_INFO = ZoneInfo("Europe/Amsterdam")


def tap(user: Any, action: str, ident: int, *, sure: bool = False) -> Any:
    return callback_update(user, IntroCallback(action=action, id=ident, sure=sure).pack())


async def _people(repo: Repo, now: datetime) -> tuple[Any, Any, int]:
    anna = make_user(first_name="Anna", username="anna_u", language_code="nl")
    emma = make_user(first_name="Emma", username="emma_u", language_code="en")
    for person in (anna, emma):
        await add_person(repo, person, now)
    initiative = await add_initiative(repo, now, owners=(emma.id,), email="repair@lombok.nl")
    return anna, emma, initiative.id


async def _write_first(
    feed: Feeder, bot_api: MockedBotAPI, anna: Any, ident: int, text: str
) -> str:
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)
    await feed(message_update(anna, text))
    return bot_api.take(SendMessage).text


async def test_conversation_is_relayed_both_ways_without_names_until_shared(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, emma, ident = await _people(repo, clock.now())
    now = clock.now()

    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    prompt = bot_api.take(SendMessage)
    assert prompt.text == (
        "📇 Openbare contactgegevens van <b>Repair Café Lombok</b>:\n✉️ repair@lombok.nl\n\n"
        "✉️ Wat wil je <b>Repair Café Lombok</b> vragen of vertellen? Schrijf het in één "
        "bericht.\nIk stuur het door naar de leden. Ze zien je naam en Telegram-account niet, "
        "behalve als je die zelf deelt."
    )
    assert button_rows(prompt.reply_markup) == [["✖️ Stoppen"]]
    await feed(message_update(anna, "Hoi! Mogen wij <jullie> gereedschap lenen?"))
    assert bot_api.take(SendMessage).text == (
        "✅ Verstuurd naar <b>Repair Café Lombok</b>. Hun antwoord komt hier in deze chat.\n"
        "Ze zien niet wie je bent. Wil je dat wel? Tik dan op 🤝 Deel mijn contact onder "
        "hun antwoord."
    )

    (first,) = await outbox_rows(repo)
    assert (first.kind, first.recipient_id, first.urgent, first.status, first.due_at) == (
        "intro.request",
        emma.id,
        True,
        "pending",
        now,
    )
    shown = await render(repo, first, settings, now, "en")
    assert shown is not None
    assert shown.text == (
        "✉️ <b>A message for Repair Café Lombok</b>\nSomeone who found you in Samenspel writes:"
        "\n<blockquote>Hoi! Mogen wij &lt;jullie&gt; gereedschap lenen?</blockquote>\n"
        "Tap ↩️ Reply or simply reply to this message. Names and Telegram accounts stay "
        "hidden until someone taps 🤝 Share my contact."
    )
    assert button_rows(shown.reply_markup) == [
        ["↩️ Reply", "🤝 Share my contact"],
        ["🙅 Decline"],
        ["⚠️ Report", "🚫 Block"],
    ]
    thread_id = first.params["thread_id"]

    # Emma answers with the button.
    await feed(tap(emma, "reply", thread_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Write your reply. I'll pass it on without your name."
    await feed(message_update(emma, "Sure, come by on Saturday."))
    assert bot_api.take(SendMessage).text == "✅ Passed on."
    answer = (await outbox_rows(repo))[-1]
    assert (answer.kind, answer.recipient_id, answer.urgent) == ("intro.message", anna.id, True)
    shown = await render(repo, answer, settings, now, "nl")
    assert shown is not None
    assert shown.text == (
        "💬 <b>Repair Café Lombok</b> antwoordt:\n<blockquote>Sure, come by on Saturday."
        "</blockquote>"
    )
    assert button_rows(shown.reply_markup) == [
        ["↩️ Antwoorden", "🤝 Deel mijn contact"],
        ["⚠️ Melden"],
    ]

    # Anna answers with Telegram's reply to the relayed message.
    await mark_sent(repo, answer.id, 4242)
    relayed = Message(
        message_id=4242,
        date=datetime.now(UTC),
        chat=private_chat(anna),
        from_user=BOT_USER,
        text="…",
    )
    await feed(message_update(anna, "Top, tot zaterdag!", reply_to_message=relayed))
    assert bot_api.take(SendMessage).text == "✅ Doorgestuurd."
    back = (await outbox_rows(repo))[-1]
    assert (back.kind, back.recipient_id) == ("intro.message", emma.id)
    shown = await render(repo, back, settings, now, "en")
    assert shown is not None
    assert shown.text == (
        "💬 New message for <b>Repair Café Lombok</b>:\n<blockquote>Top, tot zaterdag!</blockquote>"
    )
    assert button_rows(shown.reply_markup) == [
        ["↩️ Reply", "🤝 Share my contact"],
        ["⚠️ Report", "🚫 Block"],
    ]

    # Until now nobody's name, username or id went anywhere.
    for row in await outbox_rows(repo):
        for locale in ("nl", "en"):
            seen = await render(repo, row, settings, now, locale)
            assert seen is not None
            for secret in ("Anna", "anna_u", str(anna.id), "Emma", "emma_u", str(emma.id)):
                assert secret not in seen.text

    # Anna shares her contact; Emma then shares hers.
    await feed(tap(anna, "share", thread_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "🤝 Je contact is doorgegeven aan de ander."
    shared = (await outbox_rows(repo))[-1]
    assert (shared.kind, shared.recipient_id) == ("intro.contact", emma.id)
    shown = await render(repo, shared, settings, now, "en")
    assert shown is not None and shown.text == (
        "🤝 The person who wrote to <b>Repair Café Lombok</b> shared their contact: Anna (@anna_u)"
    )
    await feed(tap(anna, "share", thread_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Je hebt je contact al gedeeld."

    await feed(tap(emma, "share", thread_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "🤝 Your contact is passed on to the other side."
    shared = (await outbox_rows(repo))[-1]
    assert (shared.kind, shared.recipient_id) == ("intro.contact", anna.id)
    shown = await render(repo, shared, settings, now, "nl")
    assert shown is not None and shown.text == (
        "🤝 Emma (@emma_u) van <b>Repair Café Lombok</b> deelt zijn of haar contact.\n"
        "✉️ repair@lombok.nl"
    )


async def test_a_stranger_cannot_use_someone_elses_thread(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, _emma, ident = await _people(repo, clock.now())
    thread, _initiative = await intro.start_thread(
        repo, ident, anna.id, "Hallo daar, een vraag!", now=clock.now(), tz=TZ_INFO
    )
    mallory = make_user(first_name="Mallory", language_code="en")
    await feed(tap(mallory, "reply", thread.id))
    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "This conversation is not yours, or it no longer exists."
    assert answer.show_alert


async def test_decline_tells_the_sender_politely_and_closes(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, emma, ident = await _people(repo, clock.now())
    await _write_first(feed, bot_api, anna, ident, "Kunnen jullie ons helpen?")
    thread_id = (await outbox_rows(repo))[0].params["thread_id"]

    await feed(tap(emma, "decline", thread_id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageReplyMarkup).reply_markup is None
    assert bot_api.take(SendMessage).text == (
        "You declined. I'll tell the sender politely; the conversation is closed."
    )
    told = (await outbox_rows(repo))[-1]
    assert (told.kind, told.recipient_id, told.urgent) == ("intro.declined", anna.id, True)
    shown = await render(repo, told, settings, clock.now(), "nl")
    assert shown is not None and shown.text == (
        "<b>Repair Café Lombok</b> kan je hier nu niet mee helpen en heeft het gesprek "
        "gesloten. Misschien kan een ander initiatief het wel: zoek opnieuw, of stel een "
        "vraag met /vraag."
    )
    await feed(tap(anna, "reply", thread_id))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Dit gesprek is gesloten. Er wordt niets meer doorgestuurd."
    )


async def test_daily_limit_per_sender_holds_and_resets_the_next_day(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, _emma, ident = await _people(repo, clock.now())
    for number in range(intro.DAILY_INTRODUCTIONS):
        await intro.start_thread(
            repo, ident, anna.id, f"Bericht nummer {number}", now=clock.now(), tz=TZ_INFO
        )
    await feed(tap(anna, "start", ident))  # told before writing, not after
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Je zit aan het maximum van 5 voor vandaag. Zo blijft Samenspel fijn voor iedereen. "
        "Probeer het morgen weer."
    )
    assert await _threads(repo) == 5

    clock.advance(timedelta(days=1))
    text = await _write_first(feed, bot_api, anna, ident, "Nog eentje dan?")
    assert text.startswith("✅ Verstuurd naar <b>Repair Café Lombok</b>.")
    assert await _threads(repo) == 6


async def _threads(repo: Repo) -> int:
    count = int(await repo.session.scalar(select(func.count()).select_from(IntroThread)) or 0)
    await repo.session.commit()
    return count


async def test_daily_limit_holds_when_many_are_sent_at_once(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    anna, _emma, ident = await _people(repo, clock.now())

    async def send(number: int) -> bool:
        async with session_pool() as session:
            try:
                await intro.start_thread(
                    Repo(session), ident, anna.id, f"Bericht {number}", now=clock.now(), tz=TZ_INFO
                )
            except intro.DailyLimitError:
                return False
            return True

    results = await asyncio.gather(*(send(number) for number in range(9)))
    assert sum(results) == intro.DAILY_INTRODUCTIONS
    assert await _threads(repo) == intro.DAILY_INTRODUCTIONS


async def test_report_alerts_coordinators_without_telling_the_other_side(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, emma, ident = await _people(repo, clock.now())
    kees = make_user(first_name="Kees", language_code="nl")
    await add_person(repo, kees, clock.now(), role="coordinator")
    await _write_first(feed, bot_api, anna, ident, "Koop mijn spullen, goedkoop!")
    thread_id = (await outbox_rows(repo))[0].params["thread_id"]
    await feed(tap(anna, "reply", thread_id))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)
    await feed(message_update(anna, "Echt heel goedkoop!"))
    bot_api.take(SendMessage)

    await feed(tap(emma, "report", thread_id, sure=True))  # confirmed (see the members' tests)
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == (
        "Thank you. The coordinators will look at this conversation. Nothing more is passed "
        "on, and the other side isn't told who reported it."
    )
    rows = await outbox_rows(repo)
    assert [row.status for row in rows if row.kind.startswith("intro.")][:2] == [
        "cancelled",
        "cancelled",
    ]
    (alert,) = [row for row in rows if row.kind == "intro.report"]
    assert alert.recipient_id == kees.id
    assert not any(row.recipient_id == anna.id for row in rows)
    shown = await render(repo, alert, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "⚠️ <b>Melding</b>: Repair Café Lombok heeft een bericht gemeld dat iemand hen stuurde."
        f"\nGesprek #{thread_id}:\n👤 Afzender: Koop mijn spullen, goedkoop!\n"
        "👤 Afzender: Echt heel goedkoop!"
    )
    assert button_rows(shown.reply_markup) == [["🚫 Blokkeer deze afzender overal"]]
    assert str(emma.id) not in shown.text and str(anna.id) not in shown.text

    # Nothing more is relayed.
    await feed(tap(anna, "reply", thread_id))
    assert bot_api.take(AnswerCallbackQuery).text == (
        "Dit gesprek is gesloten. Er wordt niets meer doorgestuurd."
    )

    # Only a coordinator may block the sender everywhere.
    await feed(tap(emma, "ban", thread_id))
    assert bot_api.take(AnswerCallbackQuery).text == "Sorry, only coordinators can do this."
    await feed(tap(kees, "ban", thread_id))
    assert bot_api.take(AnswerCallbackQuery).text == "Overal geblokkeerd."
    bot_api.take(EditMessageReplyMarkup)
    other = await add_initiative(repo, clock.now(), name="Buurttuin Oost", owners=(emma.id,))
    await feed(tap(anna, "start", other.id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Sorry, je kunt dit initiatief geen berichten sturen."


async def test_blocked_sender_stays_blocked_for_that_initiative(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, emma, ident = await _people(repo, clock.now())
    await _write_first(feed, bot_api, anna, ident, "Hallo, ik heb een vraag.")
    thread_id = (await outbox_rows(repo))[0].params["thread_id"]

    await feed(tap(emma, "block", thread_id, sure=True))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text == (
        "🚫 Blocked. This person can't write to your initiative any more."
    )
    blocks = (await repo.session.execute(select(SenderBlock))).scalars().all()
    assert [(block.user_id, block.scope) for block in blocks] == [(anna.id, f"i{ident}")]
    await repo.session.commit()

    clock.advance(timedelta(days=30))
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Sorry, je kunt dit initiatief geen berichten sturen."
    with pytest.raises(intro.BlockedError):
        await intro.start_thread(repo, ident, anna.id, "En nu dan?", now=clock.now(), tz=TZ_INFO)

    other = await add_initiative(repo, clock.now(), name="Buurttuin Oost", owners=(emma.id,))
    text = await _write_first(feed, bot_api, anna, other.id, "Hallo tuin!")
    assert text.startswith("✅ Verstuurd naar <b>Buurttuin Oost</b>.")


async def test_initiative_without_members_shows_its_public_contact(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    initiative = await add_initiative(
        repo, clock.now(), website="https://lombok.nl", phone="+31612345678"
    )
    await feed(tap(emma, "start", initiative.id))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Nobody of <b>Repair Café Lombok</b> uses Samenspel yet. You can reach them here:\n"
        "🌐 https://lombok.nl\n📞 06 12345678"
    )


async def test_too_short_message_is_asked_again_and_cancel_sends_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, _emma, ident = await _people(repo, clock.now())
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)
    await feed(message_update(anna, "Hoi"))
    again = bot_api.take(SendMessage)
    assert again.text == "Schrijf een bericht van 5 tot 1000 tekens."
    assert button_rows(again.reply_markup) == [["✖️ Stoppen"]]
    await feed(tap(anna, "cancel", 0))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Geannuleerd. Er is niets verstuurd."
    assert await outbox_rows(repo) == []


async def test_the_public_card_offers_contact_with_the_published_details(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    ident = (
        await add_initiative(repo, clock.now(), owners=(emma.id,), website="https://lombok.nl")
    ).id
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, f"/start i_{ident}"))
    card = bot_api.take(SendMessage)
    assert card.text.startswith("<b>Repair Café Lombok</b>")
    assert button_rows(card.reply_markup) == [
        ["🔁 Vergelijkbaar", "✉️ Contact"],
        ["🗺 Op de kaart", "📤 Delen"],
    ]
    assert card.reply_markup.inline_keyboard[0][1].callback_data == (  # type: ignore[union-attr]
        IntroCallback(action=IntroAction.START, id=ident).pack()
    )
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "📇 Openbare contactgegevens van <b>Repair Café Lombok</b>:\n🌐 https://lombok.nl\n\n"
        "✉️ Wat wil je <b>Repair Café Lombok</b> vragen of vertellen? Schrijf het in één "
        "bericht.\nIk stuur het door naar de leden. Ze zien je naam en Telegram-account niet, "
        "behalve als je die zelf deelt."
    )


async def test_a_member_of_another_initiative_may_write_on_its_behalf(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, emma, ident = await _people(repo, clock.now())
    garden = await add_initiative(repo, clock.now(), name="Buurttuin Oost", owners=(anna.id,))
    garden_id = garden.id
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    choice = bot_api.take(SendMessage)
    assert choice.text == "Wie schrijft <b>Repair Café Lombok</b>: jij zelf, of je initiatief?"
    assert button_rows(choice.reply_markup) == [
        ["👤 Ikzelf"],
        ["🏠 Buurttuin Oost"],
        ["✖️ Stoppen"],
    ]
    await feed(tap(anna, "as", garden_id))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    assert bot_api.take(SendMessage).text.startswith("📇 Openbare contactgegevens")
    await feed(message_update(anna, "Zullen we samen een plantenruil doen?"))
    bot_api.take(SendMessage)
    (row,) = await outbox_rows(repo)
    shown = await render(repo, row, settings, clock.now(), "en")
    assert shown is not None and shown.text.startswith(
        "✉️ <b>A message for Repair Café Lombok</b>\nSomeone of <b>Buurttuin Oost</b> writes:\n"
        "<blockquote>Zullen we samen een plantenruil doen?</blockquote>"
    )
    assert "Anna" not in shown.text and str(emma.id) not in shown.text


async def test_an_old_writing_step_does_not_pass_on_a_later_message(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna, _emma, ident = await _people(repo, clock.now())
    await feed(tap(anna, "start", ident))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)
    clock.advance(timedelta(minutes=31))
    await feed(message_update(anna, "moestuin"))
    answer = bot_api.take(SendMessage)  # the search (or the menu) answers instead
    assert not answer.text.startswith("✅")
    bot_api.take_all()
    assert await outbox_rows(repo) == []


async def test_erasing_a_person_removes_their_conversations_and_questions(
    repo: Repo, clock: FakeClock
) -> None:
    from bot.services.connections import peer_questions as peers
    from bot.services.privacy.personal_data import erase_user
    from storage.models import IntroMessage, PeerQuestion, SenderQuota

    anna, emma, ident = await _people(repo, clock.now())
    await intro.start_thread(repo, ident, anna.id, "Hallo, een vraag!", now=clock.now(), tz=TZ_INFO)
    await repo.connections.add_offer(ident, "duurzaamheid", emma.id, clock.now())
    await repo.session.commit()
    await peers.ask(
        repo, anna.id, "duurzaamheid", "Wie heeft er tips?", now=clock.now(), tz=TZ_INFO
    )

    await erase_user(repo, anna.id, now=clock.now())

    for model in (IntroThread, IntroMessage, PeerQuestion, SenderQuota):
        count = await repo.session.scalar(select(func.count()).select_from(model))
        assert count == 0, model.__tablename__
    await repo.session.commit()


async def test_contact_on_a_search_result_card_starts_the_relay(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.keyboards.callbacks import SearchItemCallback

    _anna, _emma, ident = await _people(repo, clock.now())
    bob = make_user(first_name="Bob", language_code="en")
    await feed(
        callback_update(bob, SearchItemCallback(action=SearchItemAction.OPEN, id=ident).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage)
    contact = card.reply_markup.inline_keyboard[0][1]  # type: ignore[union-attr]
    assert contact.text == "✉️ Contact"
    assert contact.callback_data == IntroCallback(action=IntroAction.START, id=ident).pack()
    await feed(callback_update(bob, contact.callback_data))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "📇 Public contact details of <b>Repair Café Lombok</b>:\n✉️ repair@lombok.nl\n\n"
        "✉️ What would you like to ask or tell <b>Repair Café Lombok</b>? Write it in one "
        "message.\nI'll pass it on to the members. They won't see your name or Telegram "
        "account unless you choose to share it."
    )
