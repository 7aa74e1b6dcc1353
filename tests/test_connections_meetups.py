"""Themed meetups from data: the monthly job proposes a meetup for five or more initiatives on
one theme within 10 km (once a month), and one tap by a coordinator creates the draft and
invites their members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, GetMe, SendMessage
from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.keyboards.callbacks import MeetupProposalAction, MeetupProposalCallback
from bot.services.connections import meetups
from scheduler.jobs import PERIODIC_JOBS
from scheduler.meetups import MEETUP_JOB_ID, run_meetup_proposals
from storage.engine import SessionPool
from storage.models import Event, MeetupProposal
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.connections_support import outbox_rows, render
from tests.factories import callback_update, make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI, button_rows

TZ = ZoneInfo("Europe/Amsterdam")
GREEN = [  # six green initiatives in and around Utrecht, a few km apart
    ("Tuin Lombok", "Utrecht", 52.0907, 5.1000),
    ("Groen Ondiep", "Utrecht", 52.1030, 5.1300),
    ("Moestuin Zuilen", "Utrecht", 52.1150, 5.0950),
    ("Pluktuin Oost", "Utrecht", 52.0850, 5.1500),
    ("Geveltuin Zeist", "Zeist", 52.0900, 5.2300),
    ("Bijenlint Bilt", "De Bilt", 52.1100, 5.1800),
]


async def _fixture(repo: Repo, now: datetime) -> tuple[Any, list[int], list[Any]]:
    kees = make_user(first_name="Kees", language_code="nl")
    await add_person(repo, kees, now, role="coordinator")
    members, ids = [], []
    for name, place, lat, lon in GREEN:
        member = make_user(first_name=f"Lid {name}", language_code="en")
        await add_person(repo, member, now)
        members.append(member)
        initiative = await add_initiative(
            repo,
            now,
            name=name,
            municipality=place,
            lat=lat,
            lon=lon,
            themes=["natuur-en-groen"],
            owners=(member.id,),
        )
        ids.append(initiative.id)
    # Far away, and a theme with only four nearby: neither makes a cluster.
    await add_initiative(
        repo,
        now,
        name="Tuin Rhenen",
        municipality="Rhenen",
        lat=51.959,
        lon=5.568,
        themes=["natuur-en-groen"],
    )
    for number in range(4):
        await add_initiative(
            repo,
            now,
            name=f"Ouderen {number}",
            lat=52.09 + number / 200,
            lon=5.11,
            themes=["ouderen"],
        )
    return kees, ids, members


async def test_monthly_job_proposes_a_meetup_for_a_cluster_once(
    session_pool: SessionPool, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    kees, ids, _members = await _fixture(repo, clock.now())
    assert MEETUP_JOB_ID in {job.id for job in PERIODIC_JOBS}
    from scheduler.context import JobContext

    context = JobContext(session_pool, clock, settings)
    await run_meetup_proposals(context)
    await run_meetup_proposals(context)

    (proposal,) = (await repo.session.execute(select(MeetupProposal))).scalars().all()
    assert (proposal.theme, proposal.month, proposal.status) == (
        "natuur-en-groen",
        "2026-03",
        "proposed",
    )
    assert sorted(proposal.initiative_ids) == sorted(ids)
    await repo.session.commit()
    (alert,) = await outbox_rows(repo, "meetup.proposal")
    assert alert.recipient_id == kees.id
    shown = await render(repo, alert, settings, clock.now(), "nl")
    assert shown is not None
    lines = shown.text.split("\n")
    assert lines[:2] == [
        "📍 <b>Idee voor een themabijeenkomst: Natuur en groen</b>",
        "6 initiatieven met dit thema zitten binnen 10 km van elkaar, rond Utrecht:",
    ]
    assert sorted(lines[2:8]) == sorted(f"• {name} ({place})" for name, place, _lat, _lon in GREEN)
    assert button_rows(shown.reply_markup) == [["📅 Maak bijeenkomst en nodig uit"], ["Nu niet"]]

    clock.advance(timedelta(days=31))
    await run_meetup_proposals(context)
    assert len(await outbox_rows(repo, "meetup.proposal")) == 2


async def test_one_tap_creates_the_draft_and_invites_the_members(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    kees, ids, members = await _fixture(repo, clock.now())
    await meetups.propose_meetups(repo, now=clock.now(), tz=TZ)
    proposal_id = (await repo.session.execute(select(MeetupProposal.id))).scalar_one()
    await repo.session.commit()

    anna = make_user(language_code="nl")
    await feed(
        callback_update(
            anna, MeetupProposalCallback(action=MeetupProposalAction.CREATE, id=proposal_id).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Sorry, dit kunnen alleen coördinatoren doen."

    tap = callback_update(
        kees, MeetupProposalCallback(action=MeetupProposalAction.CREATE, id=proposal_id).pack()
    )
    await feed(tap)
    bot_api.take(AnswerCallbackQuery)
    bot_api.take(EditMessageReplyMarkup)
    done = bot_api.take(SendMessage)
    (event,) = (await repo.session.execute(select(Event))).scalars().all()
    assert done.text == (
        f"📅 Concept-bijeenkomst #{event.id} gemaakt voor di 31 mrt, 19:30–21:30, te gast bij "
        f"Tuin Lombok. Pas tijd en plaats aan met /wijzig {event.id}. De uitnodigingen gaan "
        "over 2 dagen weg, met de details van dat moment, of nu als je publiceert.\n\n"
        "✉️ 6 mensen krijgen de uitnodiging."
    )
    assert button_rows(done.reply_markup) == [["🌍 Nu publiceren"]]
    assert (event.kind, event.status, event.theme, event.host_initiative_id) == (
        "meetup",
        "draft",
        "natuur-en-groen",
        ids[0],
    )
    assert event.title == "Themabijeenkomst Natuur en groen – Utrecht"
    assert event.starts_at == datetime(2026, 3, 31, 17, 30, tzinfo=UTC)
    event_id = event.id
    await repo.session.commit()
    invites = await outbox_rows(repo, "meetup.invite")
    assert sorted(row.recipient_id for row in invites) == sorted(m.id for m in members)
    assert {row.due_at for row in invites} == {clock.now() + meetups.INVITE_DELAY}
    shown = await render(repo, invites[0], settings, clock.now(), "en")
    assert shown is not None and shown.text == (
        "📍 <b>You're invited: Themabijeenkomst Natuur en groen – Utrecht</b>\n"
        "Meet other initiatives working on Nature and green spaces near you. "
        "Tue 31 Mar, 19:30–21:30, Tuin Lombok.\n"
        "Signing up opens soon: you'll find it under /agenda."
    )

    await feed(
        callback_update(
            kees, MeetupProposalCallback(action=MeetupProposalAction.CREATE, id=proposal_id).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Iemand heeft al over dit voorstel beslist."
    assert len((await repo.session.execute(select(Event))).scalars().all()) == 1
    await repo.session.commit()

    await feed(
        callback_update(
            kees, MeetupProposalCallback(action=MeetupProposalAction.PUBLISH, id=proposal_id).pack()
        )
    )
    assert bot_api.take(AnswerCallbackQuery).text == "Gepubliceerd! De uitnodigingen gaan nu weg."
    bot_api.take(EditMessageReplyMarkup)
    published = await repo.events.get(event_id)
    assert published is not None and published.status == "published"
    await repo.session.commit()
    invites = await outbox_rows(repo, "meetup.invite")
    assert {row.due_at for row in invites} == {clock.now()}
    shown = await render(repo, invites[0], settings, clock.now(), "nl")
    assert shown is not None and button_rows(shown.reply_markup) == [["📅 Bekijk en meld je aan"]]


def test_clusters_need_five_within_ten_km() -> None:
    from storage.models import Initiative

    def initiative(ident: int, lat: float, lon: float) -> Initiative:
        return Initiative(id=ident, themes=["cultuur"], lat=lat, lon=lon, municipality="Utrecht")

    near = [initiative(n, 52.09 + n / 100, 5.12) for n in range(1, 5)]
    assert meetups.find_clusters(near) == []
    clusters = meetups.find_clusters([*near, initiative(9, 52.12, 5.13)])
    assert [(c.theme, sorted(c.member_ids)) for c in clusters] == [("cultuur", [1, 2, 3, 4, 9])]


async def test_initiatives_nobody_can_be_invited_for_are_named_and_the_draft_opens_in_beheer(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    kees, ids, _members = await _fixture(repo, clock.now())
    async with repo.write():
        host = await repo.initiatives.get(ids[0])
        assert host is not None
        host.address = "Lombokplein 1, 3531 Utrecht"
    await add_initiative(
        repo, clock.now(), name="Geveltuin Zuilen (import)", municipality="Utrecht",
        lat=52.105, lon=5.105, themes=["natuur-en-groen"],
    )  # fmt: skip
    await meetups.propose_meetups(repo, now=clock.now(), tz=TZ)
    proposal_id = (await repo.session.execute(select(MeetupProposal.id))).scalar_one()
    await repo.session.commit()

    tap = MeetupProposalCallback(action=MeetupProposalAction.CREATE, id=proposal_id).pack()
    await feed(callback_update(kees, tap))
    bot_api.take(AnswerCallbackQuery), bot_api.take(EditMessageReplyMarkup)
    done = bot_api.take(SendMessage)
    (event,) = (await repo.session.execute(select(Event))).scalars().all()
    event_id = event.id
    assert event.address == "Lombokplein 1, 3531 Utrecht"
    await repo.session.commit()
    assert done.text.endswith(
        "✉️ 6 mensen krijgen de uitnodiging.\n"
        "Niemand van deze initiatieven gebruikt Samenspel nog, dus zij krijgen geen "
        "uitnodiging: Geveltuin Zuilen (import). Stuur ze de link van de bijeenkomst "
        f"(/beheer {event_id} laat hem zien, met een QR-code), of publiceer hem toch."
    )

    await feed(message_update(kees, f"/beheer {event_id}"))
    bot_api.take(GetMe)  # for the event's link
    card = bot_api.take(SendMessage)
    assert "🔒 Concept: nog niet gepubliceerd" in card.text
    assert f"Nummer van de activiteit: {event_id}" in card.text
    bot_api.calls.clear()


async def test_several_proposals_at_once_are_one_message_with_a_list(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    kees = make_user(first_name="Kees", language_code="nl")
    await add_person(repo, kees, clock.now(), role="coordinator")
    themes = ["natuur-en-groen", "wonen", "ouderen"]
    for name, place, lat, lon in GREEN:
        await add_initiative(
            repo, clock.now(), name=name, municipality=place, lat=lat, lon=lon, themes=themes
        )
    assert await meetups.propose_meetups(repo, now=clock.now(), tz=TZ) == 3
    await repo.session.commit()
    assert await outbox_rows(repo, "meetup.proposal") == []
    (alert,) = await outbox_rows(repo, "meetup.proposals")
    assert alert.recipient_id == kees.id
    shown = await render(repo, alert, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text == (
        "📍 <b>3 ideeën voor themabijeenkomsten</b>\n"
        "Initiatieven met hetzelfde thema binnen 10 km van elkaar:\n\n"
        "1. <b>Wonen</b> — rond Utrecht, 6 initiatieven\n"
        "2. <b>Natuur en groen</b> — rond Utrecht, 6 initiatieven\n"
        "3. <b>Ouderen</b> — rond Utrecht, 6 initiatieven\n\n"
        "Tik op een idee om de initiatieven te zien en de bijeenkomst te maken."
    )
    assert button_rows(shown.reply_markup) == [
        ["1. Wonen (Utrecht)"],
        ["2. Natuur en groen (Utrecht)"],
        ["3. Ouderen (Utrecht)"],
    ]
    english = await render(repo, alert, settings, clock.now(), "en")
    assert english is not None
    assert english.text.startswith("📍 <b>3 ideas for themed meetups</b>\n")

    # A tap on an idea opens that proposal, with its own buttons.
    ids = [row[0].callback_data for row in shown.reply_markup.inline_keyboard]  # type: ignore[union-attr]
    await feed(callback_update(kees, str(ids[2])))
    bot_api.take(AnswerCallbackQuery)
    opened = bot_api.take(SendMessage)
    assert (opened.text or "").startswith(
        "📍 <b>Idee voor een themabijeenkomst: Ouderen</b>\n6 initiatieven met dit thema"
    )
    assert button_rows(opened.reply_markup) == [["📅 Maak bijeenkomst en nodig uit"], ["Nu niet"]]

    # Ideas decided on meanwhile drop out of the list; one left is shown as itself.
    proposals = (await repo.session.execute(select(MeetupProposal))).scalars().all()
    await repo.session.commit()
    by_theme = {p.theme: p.id for p in proposals}
    await meetups.dismiss(repo, by_theme["ouderen"], kees.id, now=clock.now())
    (alert,) = await outbox_rows(repo, "meetup.proposals")
    shown = await render(repo, alert, settings, clock.now(), "nl")
    assert shown is not None and shown.text.startswith("📍 <b>2 ideeën voor themabijeenkomsten")
    await meetups.dismiss(repo, by_theme["wonen"], kees.id, now=clock.now())
    (alert,) = await outbox_rows(repo, "meetup.proposals")
    shown = await render(repo, alert, settings, clock.now(), "nl")
    assert shown is not None
    assert shown.text.startswith("📍 <b>Idee voor een themabijeenkomst: Natuur en groen</b>")
    await feed(callback_update(kees, str(ids[2])))
    assert bot_api.take(AnswerCallbackQuery).text == "Iemand heeft al over dit voorstel beslist."
