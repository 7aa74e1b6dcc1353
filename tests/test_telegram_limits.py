"""Every list the bot sends stays within Telegram's limits, with the longest content there can
be: 1,000 seats and a waitlist, names of Telegram's maximum length full of characters HTML must
escape. Lists turn into pages (◀ n/m ▶); nobody is left out, nobody shows twice. The mocked Bot
API refuses what Telegram would refuse (see tests/mocked_bot.py), for every test of the suite."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import InlineKeyboardMarkup
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from bot.clock import FakeClock
from bot.keyboards.callbacks import (
    EventAdminAction,
    EventAdminCallback,
    InitiativeAction,
    InitiativeCallback,
)
from bot.paging import BUTTON_LIMIT, CAPTION_LIMIT, TEXT_LIMIT, limit_problems, visible_length
from storage.models import InitiativeMember, KnowledgeArticle, Registration, User
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import T0, add_event, add_initiative, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI

SEATS, WAITING = 1000, 60
NAME_LENGTH = 64  # Telegram's longest first name


def long_name(n: int) -> str:
    """64 characters, with &, < and > that HTML needs escaped, and the person's number."""
    stem = f"<&> Person {n:04d} "
    return (stem + "x" * NAME_LENGTH)[:NAME_LENGTH]


async def _big_event(repo: Repo, *, started: bool = False) -> int:
    start = T0 - timedelta(hours=1) if started else T0 + timedelta(days=3)
    event = await add_event(repo, capacity=SEATS, title="T" * 200, starts_at=start)
    async with repo.write():
        for n in range(1, SEATS + WAITING + 1):
            repo.session.add(
                User(
                    id=900_000 + n, first_name=long_name(n), created_at=T0, last_seen_at=T0,
                    role="resident", is_reachable=True,
                )
            )  # fmt: skip
        await repo.session.flush()
        for n in range(1, SEATS + WAITING + 1):
            waiting = n > SEATS
            repo.session.add(
                Registration(
                    event_id=event.id, user_id=900_000 + n,
                    status="waitlisted" if waiting else "confirmed",
                    waitlist_position=n - SEATS if waiting else None,
                    created_at=T0, updated_at=T0, confirmed_at=None if waiting else T0,
                    waitlisted_at=T0 if waiting else None,
                )
            )  # fmt: skip
    return event.id


def _fits(text: str | None, markup: Any) -> None:
    assert text is not None and visible_length(text) <= TEXT_LIMIT
    if isinstance(markup, InlineKeyboardMarkup):
        assert sum(len(row) for row in markup.inline_keyboard) <= BUTTON_LIMIT
        for row in markup.inline_keyboard:
            for button in row:
                assert len((button.callback_data or "").encode()) <= 64


def _page_button(markup: Any, label: str) -> str | None:
    for row in markup.inline_keyboard if markup else []:
        for button in row:
            if button.text == label:
                return str(button.callback_data)
    return None


async def test_participants_of_the_largest_event_come_in_pages_with_everyone_once(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    event_id = await _big_event(repo)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")

    await feed(message_update(kees, f"/deelnemers {event_id}"))
    first = bot_api.take(SendMessage)
    _fits(first.text, first.reply_markup)
    seen = re.findall(r"Person (\d{4})", first.text or "")
    texts = [first.text or ""]
    pages, page, markup = 1, first, first.reply_markup
    total = re.search(r"\b1/(\d+)\b", str([[b.text for b in r] for r in markup.inline_keyboard]))
    assert total is not None
    while (forward := _page_button(markup, "▶")) is not None:
        await feed(callback_update(kees, forward))
        bot_api.take(AnswerCallbackQuery)
        page = bot_api.take(EditMessageText)
        _fits(page.text, page.reply_markup)
        seen += re.findall(r"Person (\d{4})", page.text or "")
        texts.append(page.text or "")
        markup, pages = page.reply_markup, pages + 1
    assert pages == int(total.group(1)) > 1
    assert sorted(int(n) for n in seen) == list(range(1, SEATS + WAITING + 1))
    assert "&lt;&amp;&gt; Person 0001" in (first.text or "")  # escaped, as a person reads it
    assert "Aangemeld (1000 van 1000):" in (first.text or "")
    assert sum("Wachtlijst (60):" in text for text in texts) == 1
    assert bot_api.refused == []


async def test_attendance_of_the_largest_event_comes_in_pages_and_stays_on_its_page(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    event_id = await _big_event(repo, started=True)
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    start = EventAdminCallback(action=EventAdminAction.ATTENDANCE, event_id=event_id).pack()
    await feed(callback_update(kees, start))
    bot_api.take(AnswerCallbackQuery)
    sheet = bot_api.take(SendMessage)
    _fits(sheet.text, sheet.reply_markup)
    names: list[str] = []
    markup = sheet.reply_markup
    while True:
        assert isinstance(markup, InlineKeyboardMarkup)
        assert sum(len(row) for row in markup.inline_keyboard) <= BUTTON_LIMIT
        names += [b.text for row in markup.inline_keyboard for b in row if "Person" in b.text]
        forward = _page_button(markup, "▶")
        if forward is None:
            break
        await feed(callback_update(kees, forward))
        bot_api.take(AnswerCallbackQuery)
        markup = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert len(names) == SEATS == len(set(names))
    assert names[0].startswith("⬜ 1. <&> Person 0001")

    # Marking someone on page 3 shows page 3 again, with them ticked.
    await feed(callback_update(kees, EventAdminCallback(
        action=EventAdminAction.ATTENDANCE_PAGE, event_id=event_id, page=2).pack()))  # fmt: skip
    bot_api.take(AnswerCallbackQuery)
    third = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert isinstance(third, InlineKeyboardMarkup)
    person = next(b for row in third.inline_keyboard for b in row if "Person" in b.text)
    assert person.text.startswith("⬜ 41. ")
    await feed(callback_update(kees, str(person.callback_data)))
    assert bot_api.take(AnswerCallbackQuery).text == "Opgeslagen."
    again = bot_api.take(EditMessageReplyMarkup).reply_markup
    assert isinstance(again, InlineKeyboardMarkup)
    labels = [b.text for row in again.inline_keyboard for b in row]
    assert "3/50" in labels and any(label.startswith("✅ 41. ") for label in labels)


async def _walk(
    feed: Feeder, bot_api: MockedBotAPI, who: Any, first: Any, edited: type[Any]
) -> list[Any]:
    """Every page of a list, from the first message on, by tapping ▶ until there is none."""
    pages = [first]
    while (forward := _page_button(pages[-1].reply_markup, "▶")) is not None:
        await feed(callback_update(who, forward))
        bot_api.take(AnswerCallbackQuery)
        pages.append(bot_api.take(edited))
    for page in pages:
        _fits(getattr(page, "text", None) or "x", page.reply_markup)
    return pages


def _labels(pages: list[Any]) -> list[str]:
    return [b.text for page in pages for row in page.reply_markup.inline_keyboard for b in row]


async def test_my_agenda_with_eighty_sign_ups_comes_in_pages(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    person = make_user(language_code="nl")
    async with repo.write():
        await repo.users.ensure(
            person.id, first_name=long_name(1), last_name=None, username=None,
            telegram_language="nl", now=T0,
        )  # fmt: skip
    for n in range(80):
        event = await add_event(
            repo, title=f"Tafel {n:03d} " + "w" * 180, starts_at=T0 + timedelta(days=1 + n)
        )
        await register(repo, event.id, person.id)

    await feed(message_update(person, "/mijnagenda"))
    pages = await _walk(feed, bot_api, person, bot_api.take(SendMessage), EditMessageText)

    titles = re.findall(r"Tafel (\d{3})", "".join(page.text for page in pages))
    assert sorted(int(t) for t in titles) == list(range(80))
    assert len(pages) == 10
    cancels = [label for label in _labels(pages) if label.startswith("❌ Afmelden")]
    assert cancels[0] == "❌ Afmelden 1" and cancels[-1] == "❌ Afmelden 80"
    assert bot_api.refused == []


async def test_an_initiative_with_150_members_and_a_person_with_130_initiatives(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    owner = make_user(language_code="nl")
    async with repo.write():
        await repo.users.ensure(
            owner.id, first_name="Eigenaar", last_name=None, username=None,
            telegram_language="nl", now=T0,
        )  # fmt: skip
        for n in range(150):
            repo.session.add(
                User(id=800_000 + n, first_name=long_name(n), created_at=T0, last_seen_at=T0,
                     role="resident", is_reachable=True)
            )  # fmt: skip
    big = await add_initiative(repo, [owner.id, *range(800_000, 800_149)], name="N" * 120)
    big_id = big.id
    async with repo.write():
        await repo.session.execute(
            update(InitiativeMember)
            .where(InitiativeMember.user_id != owner.id)
            .values(role="editor")
        )
    for n in range(129):
        await add_initiative(repo, [owner.id], name=f"Initiatief {n:03d} " + "i" * 100)

    await feed(message_update(owner, "/mijn"))
    pages = await _walk(feed, bot_api, owner, bot_api.take(SendMessage), EditMessageText)
    names = [label for label in _labels(pages) if label.startswith(("🟢 Initiatief", "🟢 NNN"))]
    assert len(names) == 130 == len(set(names))

    await feed(callback_update(owner, InitiativeCallback(
        action=InitiativeAction.MEMBERS, id=big_id).pack()))  # fmt: skip
    bot_api.take(AnswerCallbackQuery)
    members = await _walk(feed, bot_api, owner, bot_api.take(EditMessageText), EditMessageText)
    listed = re.findall(r"Person (\d{4})", "".join(page.text for page in members))
    assert sorted(int(n) for n in listed) == list(range(149))
    owner_buttons = [label for label in _labels(members) if label.startswith("👑")]
    assert len(owner_buttons) == 149
    assert bot_api.refused == []


async def test_a_knowledge_base_of_150_articles_lists_every_subject(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    async with repo.write():
        for n in range(150):
            repo.session.add(
                KnowledgeArticle(title=f"Onderwerp {n:03d} " + "o" * 146, body="b" * 3500,
                                 created_at=T0, updated_at=T0)
            )  # fmt: skip
    reader = make_user(language_code="nl")
    await feed(message_update(reader, "/kennis"))
    pages = await _walk(feed, bot_api, reader, bot_api.take(SendMessage), EditMessageText)
    subjects = re.findall(r"Onderwerp (\d{3})", " ".join(_labels(pages)))
    assert sorted(int(n) for n in subjects) == list(range(150))
    assert bot_api.refused == []


# Pieces that count differently: an emoji counts two, a tag nothing, an entity one.
_PIECES = st.sampled_from(["a", "é", "🗣", "👩‍👩‍👧", "<b>", "</b>", "&amp;", "&#128512;", "\n"])


@given(st.lists(_PIECES, min_size=0, max_size=1400), st.booleans(), st.booleans())
def test_a_text_is_too_long_exactly_when_telegram_would_count_it_so(
    pieces: list[str], caption: bool, parse_html: bool
) -> None:
    """The quick look at a text's length (most texts are far below the limit) never lets a
    text through that Telegram would refuse, nor stops one it would take."""
    text = "".join(pieces)
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    too_long = visible_length(text, parse_html=parse_html) > limit
    problems = limit_problems(text, caption=caption, parse_html=parse_html)
    assert bool(problems) == too_long
