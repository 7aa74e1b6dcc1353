"""/verberg and /toon: only coordinators; who and when is kept, the log says what happened,
and the members are told."""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from storage.models import OutboxMessage
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.factories import make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI


async def test_residents_cannot_hide_a_profile(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    await feed(message_update(make_user(language_code="nl"), f"/verberg {ident}"))
    assert bot_api.take(SendMessage).text == "Sorry, dit kunnen alleen coördinatoren doen."
    await feed(message_update(make_user(language_code="en"), f"/toon {ident}"))
    assert bot_api.take(SendMessage).text == "Sorry, only coordinators can do this."
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "published" and stored.hidden_by is None


async def test_coordinator_hides_and_shows_a_profile_and_it_is_logged(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")

    with caplog.at_level(logging.INFO, logger="bot.services.initiatives.profiles"):
        await feed(message_update(kees, f"/verberg {ident}"))
    assert bot_api.take(SendMessage).text == (
        f"🚫 <b>Repair Café Lombok</b> (#{ident}) is verborgen. "
        "De leden hebben een bericht gekregen."
    )
    assert f"initiative {ident} hidden by a coordinator" in caplog.text
    assert "Kees" not in caplog.text and str(COORDINATOR_ID) not in caplog.text
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "hidden"
    assert (stored.hidden_by, stored.hidden_at) == (COORDINATOR_ID, clock.now())
    told = (await repo.session.execute(select(OutboxMessage))).scalars().one()
    assert (told.kind, told.recipient_id, told.params) == (
        "initiative.moderated",
        anna.id,
        {"initiative_id": ident, "hidden": True},
    )

    await feed(message_update(anna, f"/start i_{ident}"))  # members still see their own card
    assert bot_api.take(SendMessage).text.endswith(
        "🚫 Verborgen door een coördinator. Vragen? Kijk bij /help."
    )
    stranger = make_user(language_code="nl")
    await feed(message_update(stranger, f"/profiel {ident}"))
    assert bot_api.take(SendMessage).text == (
        "Ik kan dat initiatief niet vinden. Misschien is het offline gehaald of verwijderd."
    )

    with caplog.at_level(logging.INFO, logger="bot.services.initiatives.profiles"):
        await feed(message_update(kees, f"/toon {ident}"))
    assert bot_api.take(SendMessage).text == (
        f"✅ <b>Repair Café Lombok</b> (#{ident}) is weer te vinden."
    )
    assert f"initiative {ident} shown by a coordinator" in caplog.text
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "published" and stored.hidden_by is None


async def test_moderation_needs_a_known_number(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    kees = make_user(id=COORDINATOR_ID, language_code="en")
    await feed(message_update(kees, "/verberg"))
    assert bot_api.take(SendMessage).text == (
        "Type the number of the initiative, for example /hide 12."
    )
    await feed(message_update(kees, "/toon 999"))
    assert bot_api.take(SendMessage).text == "There is no initiative with number 999."
