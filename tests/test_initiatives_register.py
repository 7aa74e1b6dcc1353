"""/nieuw through the real Dispatcher: the whole registration in Dutch and English, every
validation error, back/skip/cancel, resuming after a restart, consent, the duplicate hint."""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage
from aiogram.types import Location, PhotoSize, ReplyKeyboardMarkup, ReplyKeyboardRemove
from sqlalchemy import select

from bot.app import build_dispatcher
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.keyboards.callbacks import MenuAction, MenuCallback, RegisterCallback
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.engine import SessionPool
from storage.models import Initiative, InitiativeMember, OutboxMessage
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows

NL_THEME_ROWS = [
    ["Eenzaamheid", "Armoede"],
    ["Burgerparticipatie", "Leefbaarheid"],
    ["Gezondheid", "Informele zorg"],
    ["Wonen", "Duurzaamheid"],
    ["Natuur en groen", "Jongeren"],
    ["Ouderen", "Kinderen"],
    ["Nieuwkomers", "Taal"],
    ["Cultuur", "Sport en bewegen"],
    ["Voedsel", "Veiligheid"],
    ["Dialoog", "Werk en scholing"],
]
NL_MUNICIPALITY_ROWS = [
    ["Amersfoort", "Baarn"],
    ["Bunnik", "Bunschoten"],
    ["De Bilt", "De Ronde Venen"],
    ["Eemnes", "Houten"],
    ["IJsselstein", "Leusden"],
    ["Lopik", "Montfoort"],
    ["Nieuwegein", "Oudewater"],
    ["Renswoude", "Rhenen"],
    ["Soest", "Stichtse Vecht"],
    ["Utrecht", "Utrechtse Heuvelrug"],
    ["Veenendaal", "Vijfheerenlanden"],
    ["Wijk bij Duurstede", "Woerden"],
    ["Woudenberg", "Zeist"],
]
FALLBACK_NL = "Dat begreep ik niet helemaal. Kies wat je wilt doen:"
NL_PREVIEW = (
    "<b>Buurtmoestuin De Zonnebloem</b>\n"
    "Wij tuinieren samen met de buurt op zaterdag &amp; zondag.\n\n"
    "🏷 Natuur en groen · Voedsel\n"
    "📍 Utrecht · Overvecht\n"
    "🌐 https://www.zonnebloem.nl\n"
    "✉️ info@zonnebloem.nl\n"
    "📞 06 12345678\n"
    "💬 @zonnebloem\n"
    "🔑 moestuin, oogst\n\n"
    "<b>Zal ik dit publiceren?</b>\n"
    "Als je op “Ja, publiceren” tikt, ga je ermee akkoord dat iedereen dit profiel kan zien in "
    "Samenspel. Je kunt het altijd aanpassen, offline halen of verwijderen met /mijn."
)


def press(user: Any, action: str, value: str = "") -> Any:
    return callback_update(user, RegisterCallback(action=action, value=value).pack())


def question(bot_api: MockedBotAPI) -> SendMessage:
    return bot_api.take(SendMessage)


async def _draft(repo: Repo, user_id: int) -> Initiative | None:
    return await repo.initiatives.unfinished_draft(user_id)


async def test_whole_registration_in_dutch_with_every_validation_error(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/nieuw"))
    intro = bot_api.take(SendMessage)
    assert intro.text.startswith("Leuk, we zetten je initiatief in Samenspel!")
    ask = question(bot_api)
    assert ask.text == "<i>Stap 1 van 11</i>\nHoe heet je initiatief?"
    assert button_rows(ask.reply_markup) == [["✖️ Stoppen"]]

    async def wrong(text: str, expected: str) -> SendMessage:
        await feed(message_update(anna, text))
        reply = bot_api.take(SendMessage)
        assert reply.text == expected
        return reply

    await wrong("ab", "De naam heeft 3 tot 80 tekens, met letters erin. Probeer het nog eens.")
    await wrong("1234", "De naam heeft 3 tot 80 tekens, met letters erin. Probeer het nog eens.")
    await feed(message_update(anna, "Buurtmoestuin   De Zonnebloem"))
    ask = question(bot_api)
    assert ask.text == (
        "<i>Stap 2 van 11</i>\nVertel in een paar zinnen wat jullie doen, voor wie en waar. "
        "(20 tot 1000 tekens)"
    )
    assert button_rows(ask.reply_markup) == [["⬅️ Terug", "✖️ Stoppen"]]

    await wrong(
        "Te kort",
        "Schrijf tussen de 20 en 1000 tekens; dit waren er 7. Probeer je het nog eens?",
    )
    await feed(message_update(anna, "Wij tuinieren samen met de buurt op zaterdag & zondag."))
    ask = question(bot_api)
    assert ask.text.startswith("<i>Stap 3 van 11</i>\nWelke thema's passen erbij?")
    assert button_rows(ask.reply_markup) == [*NL_THEME_ROWS, ["⬅️ Terug", "✖️ Stoppen"]]

    await wrong("iets anders", "Tik op minstens één thema.")
    for slug in ("natuur-en-groen", "voedsel", "wonen"):
        await feed(press(anna, "theme", slug))
        bot_api.take(AnswerCallbackQuery)
        edited = bot_api.take(EditMessageReplyMarkup)
    assert button_rows(edited.reply_markup)[3] == ["✅ Wonen", "Duurzaamheid"]
    assert button_rows(edited.reply_markup)[-2:] == [["✔️ Klaar"], ["⬅️ Terug", "✖️ Stoppen"]]
    await feed(press(anna, "theme", "taal"))
    refusal = bot_api.take(AnswerCallbackQuery)
    assert refusal.text == "Je kunt tot 3 thema's kiezen. Zet er eerst een uit."
    assert refusal.show_alert
    await feed(press(anna, "theme", "wonen"))  # untick
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    await feed(press(anna, "themes_done"))
    bot_api.take(AnswerCallbackQuery)
    ask = question(bot_api)
    assert ask.text == (
        "<i>Stap 4 van 11</i>\nIn welke gemeente zijn jullie actief? Tik erop of typ de naam."
    )
    assert button_rows(ask.reply_markup) == [*NL_MUNICIPALITY_ROWS, ["⬅️ Terug", "✖️ Stoppen"]]

    await wrong(
        "Amsterdam",
        "Die gemeente ken ik niet in de provincie Utrecht. Tik op een van de knoppen, "
        "of kijk de spelling na.",
    )
    unsure = await wrong("Utrec", "Welke bedoel je?")
    assert button_rows(unsure.reply_markup) == [["Utrecht"], ["Utrechtse Heuvelrug"]]
    await feed(message_update(anna, "Utreg"))
    ask = question(bot_api)
    assert ask.text.startswith("<i>Stap 5 van 11</i>\nIn welke wijk of welk dorp?")
    assert button_rows(ask.reply_markup) == [["⬅️ Terug", "⏭ Overslaan", "✖️ Stoppen"]]

    await wrong("x", "De naam van een wijk of dorp heeft 2 tot 60 tekens.")
    await feed(message_update(anna, "Overvecht"))
    ask = question(bot_api)
    assert ask.text.startswith("<i>Stap 6 van 11</i>\nWaar komen jullie samen? Typ het adres")
    assert isinstance(ask.reply_markup, ReplyKeyboardMarkup)
    assert button_rows(ask.reply_markup) == [
        ["📍 Ik ben er nu"],
        ["⬅️ Terug", "⏭ Overslaan", "✖️ Stoppen"],
    ]
    assert ask.reply_markup.keyboard[0][0].request_location

    await wrong(
        "bij de kerk",
        "Ik kan dat adres niet vinden. Typ een straat met huisnummer, of een postcode zoals "
        "3511 AA. Of sla deze vraag over.",
    )
    await feed(message_update(anna, location=Location(latitude=52.37, longitude=4.90)))
    assert bot_api.take(SendMessage).text == (
        "Die plek ligt buiten de provincie Utrecht. Stuur een plek in de provincie, of sla over."
    )
    await feed(message_update(anna, location=Location(latitude=52.1175, longitude=5.1125)))
    saved = bot_api.take(SendMessage)
    assert saved.text == "📍 Locatie opgeslagen."
    assert isinstance(saved.reply_markup, ReplyKeyboardRemove)
    assert question(bot_api).text.startswith("<i>Stap 7 van 11</i>\nWat is jullie website?")

    await wrong("mijn site", "Dat lijkt geen webadres. Typ het zo: www.voorbeeld.nl")
    await feed(message_update(anna, "www.Zonnebloem.nl"))
    assert question(bot_api).text.startswith("<i>Stap 8 van 11</i>")
    await wrong("info@zonnebloem", "Dat lijkt geen e-mailadres. Typ het zo: naam@voorbeeld.nl")
    await feed(message_update(anna, "info@zonnebloem.nl"))
    assert question(bot_api).text.startswith("<i>Stap 9 van 11</i>")
    await wrong(
        "12345",
        "Dat lijkt geen Nederlands telefoonnummer. Typ 10 cijfers, zoals 06 12345678 of "
        "030 1234567.",
    )
    await feed(message_update(anna, "06-1234 5678"))
    assert question(bot_api).text.startswith("<i>Stap 10 van 11</i>")
    await wrong(
        "@ab",
        "Een Telegram-gebruikersnaam heeft 5 tot 32 letters, cijfers of _, en begint met een "
        "letter. Typ hem zo: @onzetuin.",
    )
    await feed(message_update(anna, "@zonnebloem"))
    assert question(bot_api).text.startswith("<i>Stap 11 van 11</i>")
    await wrong(
        "a, b, c, d, e, f",
        "Typ 1 tot 5 woorden van 2 tot 30 tekens, met komma’s ertussen.",
    )
    await feed(message_update(anna, "moestuin, oogst, Moestuin"))
    preview = bot_api.take(SendMessage)
    assert preview.text == NL_PREVIEW
    assert button_rows(preview.reply_markup) == [
        ["✅ Ja, publiceren"],
        ["⬅️ Terug", "💾 Nog niet"],
        ["✖️ Stoppen"],
    ]
    draft = await _draft(repo, anna.id)
    assert draft is not None and draft.status == "draft" and draft.consent_at is None

    await feed(press(anna, "publish"))
    bot_api.take(AnswerCallbackQuery)
    done = bot_api.take(SendMessage)
    assert done.text.startswith(
        "🎉 Gepubliceerd! Mensen kunnen <b>Buurtmoestuin De Zonnebloem</b> nu vinden"
    )
    assert button_rows(done.reply_markup) == [
        ["➕ Nodig een medelid uit"],
        ["🏠 Mijn initiatieven"],
    ]

    stored = (await repo.session.execute(select(Initiative))).scalars().one()
    assert stored.status == "published" and stored.draft_step is None
    assert stored.consent_at is not None and stored.consent_source == "member"
    assert stored.themes == ["natuur-en-groen", "voedsel"]
    assert (stored.municipality, stored.neighbourhood) == ("Utrecht", "Overvecht")
    assert (stored.lat, stored.lon) == (52.1175, 5.1125)
    assert stored.website == "https://www.zonnebloem.nl"
    assert stored.phone == "+31612345678" and stored.telegram == "zonnebloem"
    assert stored.keywords == ["moestuin", "oogst"]
    member = await repo.initiatives.member(stored.id, anna.id)
    assert member is not None and member.role == "owner"


async def test_registration_in_english_from_the_menu_skipping_what_is_optional(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(callback_update(emma, MenuCallback(action=MenuAction.NEW_INITIATIVE).pack()))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith("Great, let's put your initiative in")
    assert question(bot_api).text == "<i>Step 1 of 11</i>\nWhat is the name of your initiative?"
    await feed(message_update(emma, "ab"))
    assert bot_api.take(SendMessage).text == (
        "The name should be 3 to 80 characters long, with letters in it. Please try again."
    )
    await feed(message_update(emma, "Language Café <Zeist>"))
    question(bot_api)
    await feed(message_update(emma, "short"))
    assert bot_api.take(SendMessage).text == (
        "Please write between 20 and 1000 characters; this was 5. Try again?"
    )
    await feed(message_update(emma, "We practise Dutch over coffee every Tuesday morning."))
    themes = question(bot_api)
    assert button_rows(themes.reply_markup)[0] == ["Loneliness", "Poverty"]
    await feed(message_update(emma, "Language, newcomers"))  # typing themes works too
    ask = question(bot_api)
    assert ask.text == (
        "<i>Step 4 of 11</i>\nIn which municipality are you active? Tap it or type the name."
    )
    await feed(message_update(emma, "Zeist"))
    question(bot_api)
    for step in ("neighbourhood", "location", "website", "email", "phone", "telegram"):
        await feed(press(emma, "skip", step))
        bot_api.take(AnswerCallbackQuery)
        asked = question(bot_api)
    assert asked.text.startswith("<i>Step 11 of 11</i>\nWhich words would people search for?")
    await feed(press(emma, "skip", "keywords"))
    bot_api.take(AnswerCallbackQuery)
    preview = bot_api.take(SendMessage)
    assert preview.text == (
        "<b>Language Café &lt;Zeist&gt;</b>\n"
        "We practise Dutch over coffee every Tuesday morning.\n\n"
        "🏷 Newcomers · Language\n"
        "📍 Zeist\n\n"
        "<b>Shall I publish this?</b>\n"
        "If you tap “Yes, publish”, you agree that everyone can see this profile in Samenspel. "
        "You can change it, take it offline or delete it at any time with /mine."
    )
    assert button_rows(preview.reply_markup) == [
        ["✅ Yes, publish"],
        ["⬅️ Back", "💾 Not yet"],
        ["✖️ Cancel"],
    ]
    await feed(press(emma, "publish"))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text.startswith(
        "🎉 Published! People can now find <b>Language Café &lt;Zeist&gt;</b> in Samenspel."
    )
    stored = (await repo.session.execute(select(Initiative))).scalars().one()
    assert stored.themes == ["nieuwkomers", "taal"] and stored.website is None


async def test_back_shows_the_earlier_answer_and_keep_leaves_it(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await feed(message_update(emma, "/new"))
    bot_api.take(SendMessage)
    question(bot_api)
    await feed(message_update(emma, "Repair Café Zeist"))
    question(bot_api)

    await feed(press(emma, "back", "description"))
    bot_api.take(AnswerCallbackQuery)
    back = question(bot_api)
    assert back.text == (
        "<i>Step 1 of 11</i>\nWhat is the name of your initiative?\nNow: Repair Café Zeist"
    )
    assert button_rows(back.reply_markup) == [["➡️ Keep", "✖️ Cancel"]]

    await feed(press(emma, "back", "description"))  # a button of a later question
    assert bot_api.take(AnswerCallbackQuery).text == (
        "This button belongs to an earlier step. Nothing has changed."
    )

    await feed(press(emma, "skip", "name"))
    bot_api.take(AnswerCallbackQuery)
    assert question(bot_api).text.startswith("<i>Step 2 of 11</i>")
    draft = await _draft(repo, emma.id)
    assert draft is not None and draft.name == "Repair Café Zeist"
    assert draft.draft_step == "description"


async def test_cancel_throws_the_draft_away(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    anna = make_user(language_code="nl")
    await feed(message_update(anna, "/nieuw"))
    bot_api.take(SendMessage)
    question(bot_api)
    await feed(message_update(anna, "Buurtmoestuin De Zonnebloem"))
    question(bot_api)

    await feed(press(anna, "cancel", "description"))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Gestopt. Er is niets bewaard of gepubliceerd. Je kunt altijd opnieuw beginnen met /nieuw."
    )
    assert (await repo.session.execute(select(Initiative))).scalars().all() == []
    assert (await repo.session.execute(select(InitiativeMember))).scalars().all() == []

    await feed(message_update(anna, "Dit is geen antwoord meer"))  # no flow: taken as a search
    assert bot_api.take(SendMessage).text.startswith(
        "🔎 Ik zocht naar “Dit is geen antwoord meer”, maar vond niets."
    )


async def test_stop_command_and_cancel_button_text_cancel_at_the_location_step(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(language_code="nl")
    for stop in ("/stop", "✖️ Stoppen"):
        await add_person(repo, anna, clock.now())
        draft = await add_initiative(repo, clock.now(), status="draft", name="Moestuin")
        draft.created_by, draft.draft_step = anna.id, "location"
        await repo.session.commit()
        await feed(message_update(anna, "/nieuw"))
        bot_api.take(SendMessage)
        await feed(press(anna, "continue"))
        bot_api.take(AnswerCallbackQuery)
        assert isinstance(question(bot_api).reply_markup, ReplyKeyboardMarkup)

        await feed(message_update(anna, stop))
        stopped = bot_api.take(SendMessage)
        assert stopped.text == (
            "Gestopt. Er is niets bewaard of gepubliceerd. "
            "Je kunt altijd opnieuw beginnen met /nieuw."
        )
        assert isinstance(stopped.reply_markup, ReplyKeyboardRemove)
        assert await _draft(repo, anna.id) is None


async def test_registration_resumes_after_a_restart(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await feed(message_update(anna, "/nieuw"))
    bot_api.take(SendMessage)
    question(bot_api)
    await feed(message_update(anna, "Buurtmoestuin De Zonnebloem"))
    question(bot_api)
    await feed(message_update(anna, "Wij tuinieren samen met de buurt op zaterdag."))
    question(bot_api)

    # The bot restarts: a new dispatcher with empty conversation memory.
    restarted: Dispatcher = build_dispatcher(
        settings,
        session_pool=session_pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        storage=MemoryStorage(),
        throttling=ThrottlingMiddleware(limit=1000),
    )
    again = Feeder(restarted, feed.bot, repo)
    await again(message_update(anna, "/nieuw"))
    offer = bot_api.take(SendMessage)
    assert offer.text == (
        "Je was eerder begonnen met <b>Buurtmoestuin De Zonnebloem</b>. "
        "Wil je verdergaan waar je was gebleven?"
    )
    assert button_rows(offer.reply_markup) == [["▶️ Verdergaan", "🔄 Opnieuw beginnen"]]
    await again(press(anna, "continue"))
    bot_api.take(AnswerCallbackQuery)
    assert question(bot_api).text.startswith("<i>Stap 3 van 11</i>")
    await again(message_update(anna, "Voedsel"))
    assert question(bot_api).text.startswith("<i>Stap 4 van 11</i>")
    draft = await _draft(repo, anna.id)
    assert draft is not None and draft.themes == ["voedsel"]

    await again(message_update(anna, "/nieuw"))
    bot_api.take(SendMessage)
    await again(press(anna, "restart"))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(SendMessage)
    assert question(bot_api).text == "<i>Stap 1 van 11</i>\nHoe heet je initiatief?"
    assert len((await repo.session.execute(select(Initiative))).scalars().all()) == 1


async def test_not_yet_keeps_the_profile_private_without_consent(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    draft = await add_initiative(repo, clock.now(), status="draft", name="Taalcafé Zeist")
    draft.created_by, draft.draft_step = emma.id, "preview"
    draft_id = draft.id
    await repo.initiatives.add_member(draft_id, emma.id, "owner", clock.now())
    await repo.session.commit()

    await feed(press(emma, "later"))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Saved. Only you can see <b>Taalcafé Zeist</b>. Publish it from /mine when you're ready."
    )
    stored = await repo.initiatives.get(draft_id)
    assert stored is not None and stored.status == "draft" and stored.draft_step is None
    assert stored.consent_at is None


async def test_duplicate_hint_offers_to_join_the_existing_initiative(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    owner = make_user(first_name="Piet", language_code="nl")
    await add_person(repo, owner, clock.now())
    existing_id = (await add_initiative(repo, clock.now(), owners=(owner.id,))).id
    anna = make_user(first_name="Anna", language_code="nl", username="anna_u")
    await feed(message_update(anna, "/nieuw"))
    bot_api.take(SendMessage)
    question(bot_api)
    await feed(message_update(anna, "repair cafe lombok"))
    question(bot_api)
    await feed(message_update(anna, "Elke maand repareren we samen spullen in de wijk."))
    question(bot_api)
    await feed(press(anna, "theme", "duurzaamheid"))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    await feed(press(anna, "themes_done"))
    bot_api.take(AnswerCallbackQuery)
    question(bot_api)
    await feed(press(anna, "mun", "Utrecht"))
    bot_api.take(AnswerCallbackQuery)
    hint = bot_api.take(SendMessage)
    assert hint.text == (
        "Er is al een initiatief dat <b>Repair Café Lombok</b> heet (Utrecht · West). "
        "Is dit misschien van jou?"
    )
    assert button_rows(hint.reply_markup) == [
        ["Ja, vraag of ik erbij mag"],
        ["Nee, het is een ander initiatief"],
    ]
    await feed(message_update(anna, "hallo?"))
    assert bot_api.take(SendMessage).text == (
        "Tik op een van de knoppen hierboven: is het van jou of is het een ander initiatief?"
    )

    await feed(press(anna, "dup_yes", str(existing_id)))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(SendMessage).text == (
        "Ik heb de mensen van <b>Repair Café Lombok</b> gevraagd om je toe te voegen. "
        "Je krijgt een bericht zodra ze antwoorden."
    )
    assert await _draft(repo, anna.id) is None
    request = await repo.initiatives.join_request(initiative_id=existing_id, user_id=anna.id)
    assert request is not None and request.decided_at is None
    rows = (await repo.session.execute(select(OutboxMessage))).scalars().all()
    assert [(r.kind, r.recipient_id, r.key) for r in rows] == [
        ("initiative.join_request", owner.id, f"join:{request.id}:{owner.id}")
    ]


async def test_saying_no_to_the_duplicate_hint_goes_on(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    existing_id = (await add_initiative(repo, clock.now(), name="Buurtmoestuin Overvecht")).id
    emma = make_user(first_name="Emma", language_code="en")
    await feed(message_update(emma, "/nieuw"))
    bot_api.take(SendMessage)
    question(bot_api)
    await feed(message_update(emma, "Buurtmoestuin Overvecht"))
    question(bot_api)
    await feed(message_update(emma, "A different garden on the other side of the park."))
    question(bot_api)
    await feed(message_update(emma, "food"))
    question(bot_api)
    await feed(message_update(emma, "utrecht"))
    hint = bot_api.take(SendMessage)
    assert hint.text == (
        "There is already an initiative called <b>Buurtmoestuin Overvecht</b> (Utrecht · West). "
        "Is this perhaps yours?"
    )
    assert button_rows(hint.reply_markup) == [
        ["Yes, request to join"],
        ["No, it's a different one"],
    ]
    await feed(press(emma, "dup_no", str(existing_id)))
    bot_api.take(AnswerCallbackQuery)
    assert question(bot_api).text.startswith("<i>Step 5 of 11</i>\nIn which neighbourhood")
    draft = await _draft(repo, emma.id)
    assert draft is not None and draft.municipality == "Utrecht"


async def test_a_photo_during_the_registration_gets_told_what_is_expected(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    emma = make_user(language_code="en")
    await feed(message_update(emma, "/nieuw"))
    bot_api.take(SendMessage)
    question(bot_api)
    photo = [PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]
    await feed(message_update(emma, photo=photo))
    assert bot_api.take(SendMessage).text == "Please type your answer, or use the buttons."
    draft = await _draft(repo, emma.id)
    assert draft is not None and draft.draft_step == "name"
