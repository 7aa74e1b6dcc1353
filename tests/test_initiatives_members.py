"""Co-members: a one-time invitation link that expires after seven days, leaving (not as the
last owner), handing over ownership, and answering requests to join."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetMe, SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.keyboards.callbacks import InitiativeCallback, JoinRequestCallback
from bot.services.initiatives import invites
from bot.services.initiatives.errors import InitiativeError
from storage.engine import SessionPool
from storage.models import InitiativeInvite, OutboxMessage
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows


def tap(user: Any, action: str, initiative_id: int, value: str = "") -> Any:
    return callback_update(
        user, InitiativeCallback(action=action, id=initiative_id, value=value).pack()
    )


async def _invite_link(feed: Feeder, bot_api: MockedBotAPI, user: Any, ident: int) -> str:
    await feed(tap(user, "invite", ident))
    bot_api.take(AnswerCallbackQuery)
    if isinstance(bot_api.calls[0], GetMe):  # the bot asks for its own name once
        bot_api.take(GetMe)
    text = bot_api.take(SendMessage).text
    return text.rsplit("start=", 1)[1]


async def test_invite_link_works_once_for_one_person(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id

    await feed(tap(anna, "invite", ident))
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(GetMe)
    invitation = bot_api.take(SendMessage)
    invite = (await repo.session.execute(select(InitiativeInvite))).scalars().one()
    token = invite.token
    assert invitation.text == (
        "Stuur deze link naar de persoon die je wilt toevoegen aan <b>Repair Café Lombok</b>. "
        "De link werkt één keer, tot ma 9 mrt.\n\n"
        f"https://t.me/samenspel_test_bot?start=inv_{token}"
    )
    assert invite.expires_at == clock.now() + timedelta(days=7)

    bob = make_user(first_name="Bob", language_code="nl")
    await feed(message_update(bob, f"/start inv_{token}"))
    welcome = bot_api.take(SendMessage)
    assert welcome.text == (
        "Welkom bij <b>Repair Café Lombok</b>! Je kunt het profiel nu mee bijhouden. "
        "Je vindt het onder /mijn."
    )
    assert button_rows(welcome.reply_markup) == [
        ["✏️ Aanpassen", "👥 Leden"],
        ["🔒 Offline halen"],
        ["🚪 Stoppen als lid"],
        ["⬅️ Mijn initiatieven"],
    ]
    member = await repo.initiatives.member(ident, bob.id)
    assert member is not None and member.role == "editor"

    await feed(message_update(bob, f"/start inv_{token}"))
    assert bot_api.take(SendMessage).text == ("Je bent al lid van dit initiatief. Kijk bij /mijn.")
    carol = make_user(first_name="Carol", language_code="en")
    await feed(message_update(carol, f"/start inv_{token}"))
    assert bot_api.take(SendMessage).text.startswith(
        "This invitation no longer works: it was used already or it has expired. "
        "Ask the person who sent it for a new link.\n\nHi Carol! 👋 Welcome to"
    )
    assert await repo.initiatives.member(ident, carol.id) is None


async def test_invite_link_expires_after_seven_days(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    emma = make_user(first_name="Emma", language_code="en")
    await add_person(repo, emma, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(emma.id,))).id
    first = await _invite_link(feed, bot_api, emma, ident)
    second = await _invite_link(feed, bot_api, emma, ident)
    assert first != second

    clock.advance(timedelta(days=7, seconds=-1))
    early = make_user(language_code="en")
    await feed(message_update(early, f"/start {first}"))
    assert bot_api.take(SendMessage).text.startswith("Welcome to <b>Repair Café Lombok</b>!")

    clock.advance(timedelta(seconds=1))
    late = make_user(language_code="en")
    await feed(message_update(late, f"/start {second}"))
    assert bot_api.take(SendMessage).text.startswith("This invitation no longer works")
    assert await repo.initiatives.member(ident, late.id) is None


async def test_two_people_using_one_link_at_once_only_one_gets_in(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    owner, first, second = (make_user() for _ in range(3))
    for person in (owner, first, second):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(owner.id,))).id
    invite = await invites.create_invite(repo, ident, owner.id, now=clock.now())

    async def use(user_id: int) -> bool:
        async with session_pool() as session:
            try:
                await invites.accept_invite(Repo(session), invite.token, user_id, now=clock.now())
            except InitiativeError:
                return False
            return True

    results = await asyncio.gather(use(first.id), use(second.id))
    assert sorted(results) == [False, True]
    members = await repo.initiatives.members(ident)
    assert len(members) == 2


async def test_the_last_owner_cannot_leave_until_someone_else_is_owner(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    bob = make_user(first_name="Bob", language_code="nl")
    await add_person(repo, anna, clock.now())
    await add_person(repo, bob, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,), editors=(bob.id,))).id

    await feed(tap(anna, "leave", ident))
    bot_api.take(AnswerCallbackQuery)
    ask = bot_api.take(EditMessageText)
    assert ask.text == (
        "<b>Stoppen bij Repair Café Lombok?</b>\nTerugkomen kan alleen met een nieuwe uitnodiging."
    )
    assert button_rows(ask.reply_markup) == [["🚪 Ja, stoppen", "Blijven"]]
    await feed(tap(anna, "leaveyes", ident))
    refusal = bot_api.take(AnswerCallbackQuery)
    assert refusal.text == (
        "Je bent de enige eigenaar. Maak eerst een ander lid eigenaar (👥 Leden), "
        "of verwijder het initiatief."
    )
    assert refusal.show_alert
    assert await repo.initiatives.member(ident, anna.id) is not None

    await feed(tap(anna, "members", ident))
    bot_api.take(AnswerCallbackQuery)
    members = bot_api.take(EditMessageText)
    assert members.text == (
        "<b>Leden van Repair Café Lombok</b>\n• Anna (eigenaar)\n• Bob (lid)\n\n"
        "Eigenaren kunnen het initiatief verwijderen en anderen eigenaar maken."
    )
    assert button_rows(members.reply_markup) == [
        ["➕ Iemand uitnodigen"],
        ["👑 Maak Bob eigenaar"],
        ["⬅️ Terug"],
    ]
    await feed(tap(bob, "owner", ident, str(bob.id)))  # an editor cannot promote himself
    assert bot_api.take(AnswerCallbackQuery).text == "Dit kunnen alleen eigenaren."

    await feed(tap(anna, "owner", ident, str(bob.id)))
    assert bot_api.take(AnswerCallbackQuery).text == "Gelukt: die persoon is nu ook eigenaar."
    assert "• Bob (eigenaar)" in bot_api.take(EditMessageText).text

    await feed(tap(anna, "leaveyes", ident))
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == "Je bent gestopt bij <b>Repair Café Lombok</b>."
    assert await repo.initiatives.member(ident, anna.id) is None


async def test_two_owners_leaving_at_once_leave_one_owner(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    anna, bob = make_user(), make_user()
    for person in (anna, bob):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id, bob.id))).id

    async def leave(user_id: int) -> bool:
        async with session_pool() as session:
            try:
                await invites.leave(Repo(session), ident, user_id)
            except invites.LastOwnerError:
                return False
            return True

    results = await asyncio.gather(leave(anna.id), leave(bob.id))
    assert sorted(results) == [False, True]
    assert await repo.initiatives.owner_count(ident) == 1


async def test_owner_accepts_a_request_to_join_and_the_asker_is_told(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user(first_name="Anna", language_code="en")
    piet = make_user(first_name="Piet", language_code="nl")
    for person in (anna, piet):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    await invites.request_join(repo, ident, piet.id, now=clock.now())
    request = await repo.initiatives.join_request(initiative_id=ident, user_id=piet.id)
    assert request is not None
    request_id = request.id
    await repo.session.commit()

    await feed(
        callback_update(piet, JoinRequestCallback(request_id=request_id, accept=True).pack())
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Dit kunnen alleen eigenaren."

    await feed(
        callback_update(anna, JoinRequestCallback(request_id=request_id, accept=True).pack())
    )
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text == (
        "✅ Accepted: they can now keep <b>Repair Café Lombok</b> up to date."
    )
    member = await repo.initiatives.member(ident, piet.id)
    assert member is not None and member.role == "editor"
    answer = (
        (
            await repo.session.execute(
                select(OutboxMessage).where(OutboxMessage.kind == "initiative.join_answer")
            )
        )
        .scalars()
        .one()
    )
    assert (answer.recipient_id, answer.params) == (
        piet.id,
        {"initiative_id": ident, "accepted": True},
    )

    await feed(
        callback_update(
            anna, JoinRequestCallback(request_id=request_id, accept=False, sure=True).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Someone already answered this request."


async def test_a_request_for_an_imported_initiative_goes_to_the_coordinators(
    repo: Repo, clock: FakeClock
) -> None:
    kees = make_user(first_name="Kees")
    piet = make_user(first_name="Piet")
    await add_person(repo, kees, clock.now(), role="coordinator")
    await add_person(repo, piet, clock.now())
    ident = (await add_initiative(repo, clock.now(), ref="dev-004")).id
    await invites.request_join(repo, ident, piet.id, now=clock.now())
    rows = (await repo.session.execute(select(OutboxMessage))).scalars().all()
    assert [(row.kind, row.recipient_id) for row in rows] == [("initiative.join_request", kees.id)]
    request = await repo.initiatives.join_request(initiative_id=ident, user_id=piet.id)
    assert request is not None
    await invites.decide_join(repo, request.id, kees.id, accept=True, now=clock.now())
    member = await repo.initiatives.member(ident, piet.id)
    assert member is not None and member.role == "owner"
