"""/mijn and the card: edit one field, publish and take offline, delete with confirmation,
"Klopt dit nog?" answers, and `?start=i_<id>` links — in Dutch and English."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import (
    InitiativeCallback,
    MenuAction,
    MenuCallback,
    RegisterAction,
    RegisterCallback,
)
from storage.models import Initiative, OutboxMessage
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows

NL_CARD = (
    "<b>Repair Café Lombok</b>\n"
    "Samen spullen repareren in plaats van weggooien.\n\n"
    "🏷 Duurzaamheid\n"
    "📍 Utrecht · West\n"
    "🔑 repareren"
)
NL_OWNER_BUTTONS = [
    ["✏️ Aanpassen", "👥 Leden"],
    ["🔒 Offline halen"],
    ["🗑 Verwijderen", "🚪 Stoppen als lid"],
    ["⬅️ Mijn initiatieven"],
]


def tap(user: Any, action: str, initiative_id: int, value: str = "") -> Any:
    return callback_update(
        user, InitiativeCallback(action=action, id=initiative_id, value=value).pack()
    )


async def test_my_initiatives_lists_them_with_their_status(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    await add_initiative(repo, clock.now(), owners=(anna.id,))
    clock.advance(timedelta(minutes=1))
    await add_initiative(repo, clock.now(), owners=(anna.id,), name="Moestuin", status="draft")

    await feed(message_update(anna, "/mijn"))
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "<b>Jouw initiatieven</b>\nTik op een initiatief om het te bekijken of aan te passen."
    )
    assert button_rows(reply.reply_markup) == [
        ["🔒 Moestuin (Utrecht)"],
        ["🟢 Repair Café Lombok (Utrecht)"],
        ["➕ Nieuw initiatief"],
    ]


async def test_my_initiatives_when_there_are_none_in_english(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(callback_update(emma, MenuCallback(action=MenuAction.MY_INITIATIVES).pack()))
    bot_api.take(AnswerCallbackQuery)
    reply = bot_api.take(SendMessage)
    assert reply.text == (
        "You don't have an initiative in Samenspel yet. Want to add one? "
        "It takes about three minutes."
    )
    assert button_rows(reply.reply_markup) == [["➕ New initiative"]]


async def test_edit_one_field_checks_it_and_shows_the_new_card(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    clock.advance(timedelta(days=3))

    await feed(tap(anna, "open", ident))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(EditMessageText)
    assert card.text == NL_CARD + "\n\n🟢 Gepubliceerd: iedereen kan het vinden."
    assert button_rows(card.reply_markup) == NL_OWNER_BUTTONS

    await feed(tap(anna, "edit", ident))
    bot_api.take(AnswerCallbackQuery)
    picker = bot_api.take(EditMessageReplyMarkup)
    assert button_rows(picker.reply_markup) == [
        ["Naam", "Beschrijving"],
        ["Thema’s", "Gemeente"],
        ["Wijk of dorp", "Locatie"],
        ["Website", "E-mail"],
        ["Telefoon", "Telegram"],
        ["Trefwoorden", "⬅️ Terug"],
    ]
    await feed(tap(anna, "field", ident, "website"))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(SendMessage)
    assert ask.text == "Wat is jullie website? Bijvoorbeeld www.onzetuin.nl"
    assert button_rows(ask.reply_markup) == [["✖️ Stoppen"]]

    await feed(message_update(anna, "geen site"))
    assert bot_api.take(SendMessage).text == "Dat lijkt geen webadres. Typ het zo: www.voorbeeld.nl"
    await feed(message_update(anna, "repaircafelombok.nl/agenda"))
    saved = bot_api.take(SendMessage)
    assert saved.text == (
        "✅ Opgeslagen.\n\n"
        "<b>Repair Café Lombok</b>\n"
        "Samen spullen repareren in plaats van weggooien.\n\n"
        "🏷 Duurzaamheid\n📍 Utrecht · West\n"
        "🌐 https://repaircafelombok.nl/agenda\n🔑 repareren\n\n"
        "🟢 Gepubliceerd: iedereen kan het vinden."
    )
    assert button_rows(saved.reply_markup) == NL_OWNER_BUTTONS
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.website == "https://repaircafelombok.nl/agenda"
    assert stored.updated_at == clock.now() and stored.last_confirmed_at == clock.now()
    assert stored.name == "Repair Café Lombok"  # nothing else changed


async def test_edit_themes_and_remove_an_optional_field_in_english(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    ident = (await add_initiative(repo, clock.now(), editors=(emma.id,), email="hi@lombok.nl")).id
    await feed(tap(emma, "field", ident, "themes"))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(SendMessage)
    assert ask.text == "Which themes fit? Tap up to 3, then tap “Done”."
    assert button_rows(ask.reply_markup)[3] == ["Housing", "✅ Sustainability"]
    assert button_rows(ask.reply_markup)[-2:] == [["✔️ Done"], ["✖️ Cancel"]]
    await feed(
        callback_update(
            emma, RegisterCallback(action=RegisterAction.THEME, value="duurzaamheid").pack()
        )
    )
    refusal = bot_api.take(AnswerCallbackQuery)
    assert refusal.text == "Tap at least one theme." and refusal.show_alert
    await feed(
        callback_update(emma, RegisterCallback(action=RegisterAction.THEME, value="cultuur").pack())
    )
    bot_api.take(AnswerCallbackQuery)
    ticked = bot_api.take(EditMessageReplyMarkup)
    assert button_rows(ticked.reply_markup)[7] == ["✅ Culture", "Sports and exercise"]
    await feed(callback_update(emma, RegisterCallback(action=RegisterAction.THEMES_DONE).pack()))
    bot_api.take(AnswerCallbackQuery)
    card = bot_api.take(SendMessage)
    assert "🏷 Sustainability · Culture" in card.text
    assert button_rows(card.reply_markup) == [
        ["✏️ Edit", "👥 Members"],
        ["🔒 Take offline"],
        ["🚪 Leave"],
        ["⬅️ My initiatives"],
    ]

    await feed(tap(emma, "field", ident, "email"))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(SendMessage)
    assert ask.text == "Which e-mail address may people write to?\nNow: hi@lombok.nl"
    assert button_rows(ask.reply_markup) == [["🗑 Remove", "✖️ Cancel"]]
    await feed(
        callback_update(emma, RegisterCallback(action=RegisterAction.REMOVE, value="email").pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith("✅ Saved.\n\n<b>Repair Café Lombok</b>")
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.email is None
    assert stored.themes == ["duurzaamheid", "cultuur"]


async def test_take_offline_and_publish_again_with_consent(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(emma.id,))).id

    await feed(
        tap(emma, "unpubyes", ident)
    )  # confirmed (the question first: see the members' tests)
    assert bot_api.take(AnswerCallbackQuery).text == "Taken offline."
    card = bot_api.take(EditMessageText)
    assert card.text.endswith("🔒 Not published: only members see it.")
    assert button_rows(card.reply_markup)[1] == ["🌍 Publish"]
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "draft"

    clock.advance(timedelta(days=1))
    await feed(tap(emma, "pub", ident))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(EditMessageText)
    assert ask.text == (
        "<b>Publish Repair Café Lombok?</b>\nThen everyone can see this profile in Samenspel. "
        "You can take it offline again at any time."
    )
    assert button_rows(ask.reply_markup) == [["✅ Yes, publish", "Not now"]]
    await feed(tap(emma, "pubyes", ident))
    assert bot_api.take(AnswerCallbackQuery).text == "Published."
    assert bot_api.take(EditMessageText).text.endswith("🟢 Published: everyone can find it.")
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "published"
    assert stored.consent_at == clock.now()


async def test_delete_asks_first_and_only_owners_may(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    bob = make_user(first_name="Bob", language_code="nl")
    await add_person(repo, anna, clock.now())
    await add_person(repo, bob, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,), editors=(bob.id,))).id

    await feed(tap(bob, "delyes", ident))  # an editor, with a forged button
    refusal = bot_api.take(AnswerCallbackQuery)
    assert refusal.text == "Alleen eigenaren kunnen een initiatief verwijderen."

    await feed(tap(anna, "del", ident))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(EditMessageText)
    assert ask.text == (
        "<b>Repair Café Lombok verwijderen?</b>\n"
        "Het profiel en de lijst met leden zijn dan voorgoed weg."
    )
    assert button_rows(ask.reply_markup) == [["🗑 Ja, verwijderen", "Niet verwijderen"]]
    await feed(tap(anna, "open", ident))  # "keep it": back to the card
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text.startswith(NL_CARD)
    assert await repo.initiatives.get(ident) is not None

    await feed(tap(anna, "delyes", ident))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "🗑 <b>Repair Café Lombok</b> is verwijderd."
    assert (await repo.session.execute(select(Initiative))).scalars().all() == []


async def test_someone_else_cannot_open_a_card_as_member(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    stranger = make_user(language_code="en")
    await feed(tap(stranger, "unpubyes", ident))
    answer = bot_api.take(AnswerCallbackQuery)
    assert answer.text == "This initiative doesn't exist any more, or you are no longer a member."
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.status == "published"


async def test_link_opens_the_public_card_and_hides_unpublished_ones(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    hidden = (await add_initiative(repo, clock.now(), status="hidden", name="Weg")).id
    anna = make_user(language_code="nl")
    await feed(message_update(anna, f"/start i_{ident}"))
    assert bot_api.take(SendMessage).text == NL_CARD

    await feed(message_update(anna, f"/start i_{hidden}"))
    assert bot_api.take(SendMessage).text.startswith(
        "Ik kan dat initiatief niet vinden. Misschien is het offline gehaald of verwijderd.\n\nHoi "
    )


async def test_a_profile_not_confirmed_for_a_year_is_possibly_outdated(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    clock.advance(timedelta(days=366))
    await feed(message_update(make_user(language_code="en"), f"/profiel {ident}"))
    assert bot_api.take(SendMessage).text.endswith(
        "🔑 repareren\n\n⚠️ Possibly outdated: not confirmed for over a year."
    )


async def test_klopt_confirms_and_wijzigen_opens_the_field_list(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    clock.advance(timedelta(days=190))

    await feed(tap(anna, "fresh", ident))
    assert bot_api.take(AnswerCallbackQuery).text == "Dank je wel!"
    assert bot_api.take(EditMessageText).text == (
        "✅ Dank je wel voor het nakijken! De gegevens van <b>Repair Café Lombok</b> kloppen weer."
    )
    stored = await repo.initiatives.get(ident)
    assert stored is not None and stored.last_confirmed_at == clock.now()

    await feed(tap(anna, "edit", ident))
    bot_api.take(AnswerCallbackQuery)
    assert button_rows(bot_api.take(EditMessageReplyMarkup).reply_markup)[0] == [
        "Naam",
        "Beschrijving",
    ]
    assert (await repo.session.execute(select(OutboxMessage))).scalars().all() == []
