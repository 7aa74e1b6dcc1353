"""/privacy explains what is kept; /mijngegevens sends everything stored about the person as a
JSON file, and nothing about anyone else."""

from __future__ import annotations

import json

from aiogram.methods import GetMe, SendDocument, SendMessage

from storage.repositories import Repo
from tests.conftest import Feeder
from tests.coordination_support import add_user
from tests.factories import make_user, message_update
from tests.mocked_bot import MockedBotAPI
from tests.privacy_support import (
    T0,
    Traces,
    build_world,
    fill_every_person_table,
    mention_everywhere,
)


async def test_privacy_statement_in_dutch_names_what_when_who_and_how_to_erase(
    feed: Feeder, bot_api: MockedBotAPI
) -> None:
    await feed(message_update(make_user(language_code="nl"), "/privacy"))

    text = bot_api.take(SendMessage).text
    assert text is not None and text.startswith("<b>Jouw gegevens bij Samenspel</b>")
    for part in ("Wat we bewaren", "Waarom", "Wie het ziet", "90 dagen na een activiteit"):
        assert part in text
    assert "<b>Je telling</b>\nLate afmeldingen en keren niet gekomen" in text
    assert "/mijngegevens" in text and "/verwijder" in text
    assert len(text) < 4096


async def test_privacy_statement_in_english(feed: Feeder, bot_api: MockedBotAPI) -> None:
    await feed(message_update(make_user(language_code="en"), "/privacy"))

    text = bot_api.take(SendMessage).text
    assert text is not None and text.startswith("<b>Your data at Samenspel</b>")
    assert "90 days after an event, the list of participants loses the names" in text


async def test_my_data_sends_everything_stored_about_me_as_json(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    person = make_user(first_name="Zwaantje", username="zwaan_qx7", language_code="nl")
    await add_user(repo, person.id, first_name="Zwaantje", username="zwaan_qx7")
    world = await build_world(repo, person.id, person.id + 1, person.id + 2)
    assert await fill_every_person_table(repo, person.id) == []

    await feed(message_update(person, "/mijngegevens"))

    sent = bot_api.take(SendDocument)
    assert sent.caption == "Dit is alles wat ik over je bewaar."
    assert sent.document.filename == "samenspel-data.json"  # type: ignore[union-attr]
    data = json.loads(sent.document.data)  # type: ignore[union-attr]
    assert data["telegram_user_id"] == person.id
    assert data["profile"]["first_name"] == "Zwaantje"
    rows = data["your_rows"]
    signups = {(r["event_id"], r["status"]) for r in rows["registrations"]}
    assert {(world.future_event, "confirmed"), (world.past_event, "attended")} <= signups
    assert {r["initiative_id"] for r in rows["initiative_members"]} >= {
        world.alone_initiative,
        world.shared_initiative,
    }
    assert [r["level"] for r in rows["certificates"]] == ["basis"]
    assert any(r["kind"] == "test.kind" for r in rows["outbox"])
    names = {r["name"] for r in data["what_they_are_about"]["initiatives"]}
    assert {"Zwaantjes moestuin", "Buurtkeuken West"} <= names
    # The coordinator's entry about them is there, without the coordinator's id.
    about = data["where_you_are_mentioned"]["audit_log"]
    assert [(r["action"], r["actor_id"]) for r in about] == [("role.set", "someone else")]
    # Every table with a column pointing at people that has a row about them is in the file.
    tables_with_person = set(rows)
    assert {"facilitator_profiles", "digest_subscriptions", "intro_threads"} <= tables_with_person
    # Nobody else's Telegram id is in it.
    text = json.dumps(data)
    assert str(person.id + 1) not in text and str(777_000_001) not in text


async def test_my_data_is_not_sent_into_a_group(feed: Feeder, bot_api: MockedBotAPI) -> None:
    from aiogram.types import Chat

    person = make_user(language_code="nl")
    group = Chat(id=-100123, type="group", title="Buurt")
    await feed(message_update(person, "/mijngegevens@samenspel_test_bot", chat=group))
    bot_api.take(GetMe)  # aiogram checks the @mention
    reply = bot_api.take(SendMessage)  # personal data stays in the private chat
    assert reply.text == "Stuur me dit in een privégesprek, niet in een groep."
    assert reply.chat_id == group.id


async def test_my_data_never_identifies_anyone_else_wherever_they_are_stored(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    """A second person is put into every place the export reads: their id into every column
    that holds a person, their id, names and username into every text and JSON value (outbox
    keys and parameters, audit details …) of every row about the first person."""
    person = make_user(first_name="Zwaantje", username="zwaan_qx7", language_code="nl")
    await add_user(repo, person.id, first_name="Zwaantje", username="zwaan_qx7")
    other = Traces(person.id + 40_000, ("Karel", "Tweedemans", "karel_2nd"))
    async with repo.write():
        await repo.users.ensure(
            other.user_id,
            first_name="Karel",
            last_name="Tweedemans",
            username="karel_2nd",
            telegram_language="nl",
            now=T0,
        )
    world = await build_world(repo, person.id, person.id + 1, person.id + 2)
    assert await fill_every_person_table(repo, person.id) == []
    writes = f"intro:1:contact:{person.id}:{other.user_id} Karel Tweedemans (@karel_2nd)"
    assert await mention_everywhere(repo, person.id, other, writes) > 20

    await feed(message_update(person, "/mijngegevens"))

    data = json.loads(bot_api.take(SendDocument).document.data)  # type: ignore[union-attr]
    text = json.dumps(data, ensure_ascii=False)
    assert str(other.user_id) not in text
    for word in other.words:
        assert word.lower() not in text.lower(), word
    # What is the person's own stays: their id in the keys, their seat, their initiatives.
    outbox_keys = [r["key"] for r in data["your_rows"]["outbox"]]
    shown = f"intro:1:contact:{person.id}:someone else someone else (someone else):someone else"
    assert shown in outbox_keys
    signups = {r["event_id"] for r in data["your_rows"]["registrations"]}
    assert world.future_event in signups
    assert data["profile"]["username"] == "zwaan_qx7"
