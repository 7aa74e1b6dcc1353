"""Open calls: offered to every eligible facilitator (certificate, not unavailable, not busy
then, under their monthly maximum, least recently asked first); the first yes wins and never two
for one seat, also when everyone taps at the same second (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import FacAdminAction, FacAdminCallback, FacAnswerCallback
from bot.services.facilitation import open_calls
from bot.services.facilitation import requests as facilitation_requests
from storage.engine import SessionPool
from storage.models import Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.event_helpers import START_DEFAULT
from tests.facilitation_support import (
    EMMA,
    FATIMA,
    PIET,
    SARA,
    add_person,
    confirmed,
    deliver,
    message_id_of,
    outbox_of,
    reply_update,
    request_id,
    requests_of,
    sender_for,
    table,
    team,
    tg_user,
)
from tests.factories import callback_update, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

RESIDENT = 880_050


async def test_open_call_goes_only_to_eligible_facilitators_least_recently_asked_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, bot: Bot,
    session_pool: SessionPool, i18n: CatalogI18n, settings: Settings,
) -> None:  # fmt: skip
    await team(repo, clock)
    await add_person(repo, clock, RESIDENT, role=Role.RESIDENT)  # a certificate, no role
    event_id = (await table(repo, clock)).id
    same_time = (await table(repo, clock, title="Andere tafel")).id
    later = (
        await table(repo, clock, title="Later", starts_at=START_DEFAULT + timedelta(days=7))
    ).id
    elsewhere = (
        await table(repo, clock, title="Elders", starts_at=START_DEFAULT + timedelta(days=14))
    ).id
    sender = sender_for(bot, session_pool, clock, i18n, settings)
    # Sara leads another table at the same time; Emma leads one later this month, and one a
    # month is her maximum; Piet is on holiday then; Fatima was asked for something else
    # recently, so the never-asked go first.
    for other, person in ((same_time, SARA), (later, EMMA)):
        request, _p, _e = await facilitation_requests.ask(
            repo, event_id=other, target=person, coordinator_id=COORDINATOR_ID, now=clock.now()
        )
        await facilitation_requests.answer(
            repo, request.id, person, yes=True, via="button", now=clock.now()
        )
    request, _p, _e = await facilitation_requests.ask(
        repo, event_id=elsewhere, target=FATIMA, coordinator_id=COORDINATOR_ID, now=clock.now()
    )
    await facilitation_requests.answer(
        repo, request.id, FATIMA, yes=False, via="button", now=clock.now()
    )
    await feed(message_update(tg_user(EMMA), "/beschikbaarheid max 1"))
    assert bot_api.take(SendMessage).text == "Saved."
    bot_api.take(SendMessage)
    await feed(message_update(tg_user(PIET), "/beschikbaarheid 9-3 tot 11-3"))
    assert bot_api.take(SendMessage).text == "Genoteerd: in die periode vragen we je niet."
    piet_settings = bot_api.take(SendMessage)
    assert "Niet beschikbaar:\n1. ma 9 mrt – wo 11 mrt" in (piet_settings.text or "")
    await deliver(sender, bot_api, 3)  # Kees hears both yeses and the no

    assert [
        p.id
        for p in await open_calls.eligible(repo, await repo.events.get(event_id), tz=settings.tz)
    ] == [FATIMA]  # type: ignore[arg-type]
    await repo.session.commit()
    await add_person(repo, clock, 880_060)  # a new facilitator, never asked: goes first
    await feed(
        callback_update(
            tg_user(COORDINATOR_ID),
            FacAdminCallback(action=FacAdminAction.CALL, event_id=event_id).pack(),
        )
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "📣 Open oproep voor <b>Samen aan tafel</b> gestuurd naar 2 begeleiders. "
        "Wie als eerste ja zegt, krijgt hem; je hoort wie."
    )
    assert await requests_of(repo, event_id) == [(880_060, "pending"), (FATIMA, "pending")]
    offers = await deliver(sender, bot_api, 2)
    assert offers[0].text.startswith("📣 <b>Open oproep: wie begeleidt deze tafel?</b>\n\n")
    assert offers[0].text.endswith(
        "Wie als eerste ja zegt, begeleidt hem. "
        "Kun je deze tafel begeleiden? Antwoord met ja of nee op dit bericht."
    )

    # Fatima says yes first; the other gets "someone else already took it" on his later yes.
    await feed(message_update(tg_user(FATIMA), "ja!"))
    assert bot_api.take(SendMessage).text.startswith("🎉 Dank je wel!")  # type: ignore[union-attr]
    late = await request_id(repo, event_id, 880_060)
    await feed(reply_update(tg_user(880_060), "yes", await message_id_of(repo, f"facreq:{late}")))
    assert bot_api.take(SendMessage).text == (
        "Iemand anders was je net voor, bedankt! Een volgende keer vragen we je weer."
    )
    assert await requests_of(repo, event_id) == [(880_060, "filled"), (FATIMA, "accepted")]
    assert await outbox_of(repo, f"facreq-nudge:{late}") == [
        (f"facreq-nudge:{late}", 880_060, "cancelled")
    ]
    [told] = await deliver(sender, bot_api, 1)
    assert told.text == "✅ Fatima begeleidt <b>Samen aan tafel</b> (di 10 mrt, 19:30–21:30)."
    # The table is complete: another open call is refused with the reason.
    await feed(
        callback_update(
            tg_user(COORDINATOR_ID),
            FacAdminCallback(action=FacAdminAction.CALL, event_id=event_id).pack(),
        )
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == "Deze tafel heeft al alle begeleiders die nodig zijn."


@pytest.mark.parametrize("needed", [1, 2])
async def test_simultaneous_yeses_never_give_two_people_one_seat(
    needed: int, dispatcher: Dispatcher, bot: Bot, bot_api: MockedBotAPI, repo: Repo,
    clock: FakeClock, settings: Settings,
) -> None:  # fmt: skip
    people = list(range(881_000, 881_012))
    await add_person(repo, clock, COORDINATOR_ID, role=Role.COORDINATOR, levels=())
    for person in people:
        await add_person(repo, clock, person)
    event = await table(repo, clock)
    event_id = event.id
    async with repo.write():
        event.facilitators_needed = needed
    result = await open_calls.start(
        repo, event_id, coordinator_id=COORDINATOR_ID, now=clock.now(), tz=settings.tz
    )
    assert result.invited == len(people)
    ids = {person: await request_id(repo, event_id, person) for person in people}

    await asyncio.gather(
        *(
            dispatcher.feed_update(
                bot,
                callback_update(
                    tg_user(person), FacAnswerCallback(request_id=ids[person], yes=True).pack()
                ),
            )
            for person in people
        )
    )

    calls = bot_api.take_all()
    texts = [call.text for call in calls if isinstance(call, SendMessage)]
    assert sum(1 for call in calls if isinstance(call, AnswerCallbackQuery)) == len(people)
    assert sum(1 for call in calls if isinstance(call, EditMessageReplyMarkup)) == len(people)
    assert sum(1 for text in texts if text.startswith("🎉 Dank je wel!")) == needed
    assert (
        texts.count("Iemand anders was je net voor, bedankt! Een volgende keer vragen we je weer.")
        == len(people) - needed
    )
    statuses = [status for _person, status in await requests_of(repo, event_id)]
    assert statuses.count("accepted") == needed
    assert statuses.count("filled") == len(people) - needed
    assert await confirmed(repo, event_id) == needed


async def test_open_call_without_anyone_eligible_says_why(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    async with repo.write():
        stored = await repo.events.get(event_id)
        assert stored is not None
        stored.facilitator_level = "spannend"
    await feed(
        callback_update(
            tg_user(COORDINATOR_ID),
            FacAdminCallback(action=FacAdminAction.CALL, event_id=event_id).pack(),
        )
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Er is niemand meer om uit te nodigen: geen begeleider met het certificaat Spannend is "
        "dan vrij (of onder het eigen maximum per maand)."
    )
    assert await requests_of(repo, event_id) == []
    assert button_rows is not None


async def test_ask_someone_lists_who_likes_the_theme_or_place_first(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    from bot.services.facilitation import pool as facilitation

    await team(repo, clock)
    event_id = (await table(repo, clock)).id
    await feed(message_update(tg_user(SARA), "/beschikbaarheid gemeente Utrecht"))
    assert bot_api.take(SendMessage).text == "Opgeslagen."
    bot_api.take(SendMessage)
    found = await facilitation.overview(repo, event_id, now=clock.now())
    assert [person.first_name for person in found.candidates] == ["Sara", "Fatima", "Piet", "Emma"]
