"""Where an initiative meets, through the real Dispatcher with a local look-alike of PDOK
Locatieserver: a typed address or postcode becomes a pin shown back as an address; a place, a
neighbourhood and a municipality that disagree are caught with a question; when the lookup is
away the municipality's centre is used and the member is told."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Location

from bot.catalog.municipalities import BY_NAME
from bot.clock import FakeClock
from bot.keyboards.callbacks import InitiativeAction, InitiativeCallback
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.fake_pdok import FakePDOK
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI


async def _to_the_neighbourhood_step(
    feed: Feeder, bot_api: MockedBotAPI, person: Any, municipality: str = "Utrecht"
) -> None:
    for text in (
        "/nieuw", "Buurttuin De Linde", "Samen tuinieren in de wijk, elke zaterdag.", "wonen",
        municipality,
    ):  # fmt: skip
        await feed(message_update(person, text))
    bot_api.calls.clear()


async def _skip_neighbourhood(feed: Feeder, bot_api: MockedBotAPI, person: Any) -> None:
    from bot.keyboards.callbacks import RegisterCallback

    await feed(
        callback_update(person, RegisterCallback(action="skip", value="neighbourhood").pack())
    )
    bot_api.calls.clear()


@pytest.mark.parametrize(
    ("language", "typed", "address"),
    [
        ("nl", "Oudegracht 1", "Oudegracht 1, 3511AA Utrecht"),
        ("nl", "3511 AA", "Oudegracht 1, 3511AA Utrecht"),
        ("en", "Zamenhofdreef 1, Utrecht", "Zamenhofdreef 1, 3562JT Utrecht"),
    ],
)
async def test_a_typed_address_or_postcode_becomes_a_pin_shown_as_an_address(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, pdok: FakePDOK,
    language: str, typed: str, address: str,
) -> None:  # fmt: skip
    anna = make_user(language_code=language)
    await _to_the_neighbourhood_step(feed, bot_api, anna)
    await _skip_neighbourhood(feed, bot_api, anna)
    await feed(message_update(anna, typed))
    saved = bot_api.take(SendMessage)
    assert saved.text in ("📍 Locatie opgeslagen.", "📍 Location saved.")
    bot_api.calls.clear()
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and draft.address == address and draft.lat is not None
    assert draft.draft_step == "website"
    assert "Utrecht" in pdok.asked[-1]["q"]  # looked up within the initiative's municipality


async def test_the_pin_is_shown_back_as_its_address_when_editing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (
        await add_initiative(
            repo, clock.now(), owners=(anna.id,), lat=52.0914, lon=5.1199,
            address="Oudegracht 1, 3511AA Utrecht",
        )
    ).id  # fmt: skip
    edit = InitiativeCallback(action=InitiativeAction.FIELD, id=ident, value="location").pack()
    await feed(callback_update(anna, edit))
    bot_api.take(AnswerCallbackQuery)
    question = bot_api.take(SendMessage)
    assert question.text.endswith("Nu: Oudegracht 1, 3511AA Utrecht")
    assert "52.09" not in question.text
    bot_api.calls.clear()


async def test_a_place_in_another_municipality_is_caught_with_a_question(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await _to_the_neighbourhood_step(feed, bot_api, anna)
    await _skip_neighbourhood(feed, bot_api, anna)
    await feed(message_update(anna, "Stadsring 1 Amersfoort"))
    assert bot_api.take(SendMessage).text == (
        "Die plek ligt in Amersfoort, maar je initiatief staat in Utrecht. Klopt de plek? "
        "Pas dan eerst de gemeente aan. Anders: typ een adres in Utrecht."
    )
    await feed(message_update(anna, location=Location(latitude=52.1561, longitude=5.3878)))
    assert bot_api.take(SendMessage).text.startswith("Die plek ligt in Amersfoort")
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and draft.lat is None and draft.draft_step == "location"


async def test_an_address_outside_the_province_or_unknown_is_refused(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(language_code="en")
    await _to_the_neighbourhood_step(feed, bot_api, emma)
    await _skip_neighbourhood(feed, bot_api, emma)
    await feed(message_update(emma, "Dam 1, Amsterdam"))
    assert bot_api.take(SendMessage).text.startswith("That place is outside the province")
    await feed(message_update(emma, "behind the church"))
    assert bot_api.take(SendMessage).text == (
        "I can't find that address. Type a street with a house number, or a postcode like "
        "3511 AA. Or skip."
    )


async def test_when_the_lookup_is_away_the_centre_is_used_and_said(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, pdok: FakePDOK
) -> None:
    anna = make_user(language_code="nl")
    await _to_the_neighbourhood_step(feed, bot_api, anna, municipality="Zeist")
    await _skip_neighbourhood(feed, bot_api, anna)
    pdok.down = True
    await feed(message_update(anna, "Slotlaan 1"))
    assert bot_api.take(SendMessage).text == (
        "Het adresboek van de overheid is nu niet bereikbaar. Daarom staat de pin voorlopig "
        "in het midden van Zeist. Je kunt hem later aanpassen met /mijn."
    )
    assert bot_api.take(SendMessage).text == "📍 Locatie opgeslagen."
    bot_api.calls.clear()
    draft = await repo.initiatives.unfinished_draft(anna.id)
    zeist = BY_NAME["Zeist"]
    assert draft is not None and (draft.lat, draft.lon) == (zeist.lat, zeist.lon)


async def test_a_neighbourhood_of_another_municipality_is_caught_with_a_question(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await _to_the_neighbourhood_step(feed, bot_api, anna, municipality="Nieuwegein")
    await feed(message_update(anna, "Overvecht"))
    assert bot_api.take(SendMessage).text == (
        "Overvecht ligt in Utrecht, niet in Nieuwegein. Bedoel je een wijk of dorp in "
        "Nieuwegein? Of klopt de gemeente niet? Ga dan terug en pas hem aan."
    )
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and draft.neighbourhood is None
    await feed(message_update(anna, "Batau"))
    bot_api.calls.clear()
    draft = await repo.initiatives.unfinished_draft(anna.id)
    assert draft is not None and draft.neighbourhood == "Batau"


async def test_a_new_municipality_takes_away_the_old_neighbourhood_and_pin(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (
        await add_initiative(
            repo, clock.now(), owners=(anna.id,), neighbourhood="Overvecht", lat=52.1175,
            lon=5.1125, address="Zamenhofdreef 1, 3562JT Utrecht",
        )
    ).id  # fmt: skip
    edit = InitiativeCallback(action=InitiativeAction.FIELD, id=ident, value="municipality")
    await feed(callback_update(anna, edit.pack()))
    bot_api.calls.clear()
    await feed(message_update(anna, "Nieuwegein"))
    saved = bot_api.take(SendMessage)
    assert saved.text.startswith(
        "✅ Opgeslagen.\nDe wijk en de plek op de kaart hoorden bij de oude gemeente. "
        "Die heb ik weggehaald."
    )
    stored = await repo.initiatives.get(ident)
    assert stored is not None
    assert (stored.municipality, stored.neighbourhood, stored.lat, stored.address) == (
        "Nieuwegein",
        None,
        None,
        None,
    )
