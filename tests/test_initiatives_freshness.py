"""Freshness: the daily job plans "Klopt dit nog?" for every member of profiles confirmed six
months ago, through the outbox, once per confirmation; the renderer shows the card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.config import Settings
from bot.notifications.initiatives import render_freshness
from bot.notifications.registry import RenderContext, get_kind
from scheduler.freshness import run_freshness_job
from storage.engine import SessionPool
from storage.models import OutboxMessage
from storage.repositories import Repo
from tests.factories import make_user
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import button_rows


@dataclass
class Context:
    session_pool: SessionPool
    clock: FakeClock
    settings: Settings


async def _outbox(repo: Repo) -> list[OutboxMessage]:
    await repo.session.commit()  # a fresh transaction sees what the job wrote
    rows = (await repo.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
    return list(rows)


async def test_members_are_asked_after_six_months_once(
    session_pool: SessionPool, repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna, bob = make_user(first_name="Anna"), make_user(first_name="Bob")
    for person in (anna, bob):
        await add_person(repo, person, clock.now())
    confirmed_day = clock.now().date().isoformat()
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,), editors=(bob.id,))).id
    await add_initiative(repo, clock.now(), name="Zonder leden")  # imported: nobody to ask
    await add_initiative(repo, clock.now(), owners=(anna.id,), status="draft", name="Offline")
    context = Context(session_pool, clock, settings)

    clock.advance(timedelta(days=181))
    await run_freshness_job(context)  # type: ignore[arg-type]
    assert await _outbox(repo) == []

    clock.advance(timedelta(days=1))
    await run_freshness_job(context)  # type: ignore[arg-type]
    await run_freshness_job(context)  # type: ignore[arg-type]  (twice the same day)
    clock.advance(timedelta(days=1))
    await run_freshness_job(context)  # type: ignore[arg-type]  (the next day, still unanswered)
    rows = await _outbox(repo)
    assert [(r.kind, r.recipient_id, r.key, r.status) for r in rows] == [
        (
            "initiative.freshness",
            anna.id,
            f"freshness:{ident}:{confirmed_day}:{anna.id}",
            "pending",
        ),
        ("initiative.freshness", bob.id, f"freshness:{ident}:{confirmed_day}:{bob.id}", "pending"),
    ]
    assert rows[0].params == {"initiative_id": ident, "confirmed": confirmed_day}
    assert rows[0].subject == f"initiative:{ident}"
    kind = get_kind("initiative.freshness")
    assert kind is not None and not kind.urgent


async def test_the_nudge_shows_the_card_with_klopt_and_wijzigen(
    repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    anna = make_user(first_name="Anna", language_code="nl")
    await add_person(repo, anna, clock.now())
    initiative = await add_initiative(repo, clock.now(), owners=(anna.id,))
    params = {"initiative_id": initiative.id, "confirmed": clock.now().date().isoformat()}
    recipient = await repo.users.get(anna.id)
    from bot.i18n import create_i18n, speaking

    with speaking(create_i18n("nl"), "nl"):
        rendered = await render_freshness(
            RenderContext(repo, recipient, "nl", clock.now(), settings), params
        )
        assert rendered is not None
        assert rendered.text.startswith(
            "<b>Klopt dit nog?</b>\nTwee keer per jaar vragen we je het profiel van je "
            "initiatief na te kijken. Zo vinden mensen de goede informatie.\n\n"
            "<b>Repair Café Lombok</b>"
        )
        assert button_rows(rendered.reply_markup) == [["✅ Klopt", "✏️ Wijzigen"]]

        initiative.last_confirmed_at = clock.now() + timedelta(days=1)  # confirmed meanwhile
        await repo.session.commit()
        assert (
            await render_freshness(
                RenderContext(repo, recipient, "nl", clock.now(), settings), params
            )
            is None
        )


async def test_join_request_and_moderation_messages_render_in_english(
    repo: Repo, clock: FakeClock, settings: Settings
) -> None:
    from bot.i18n import create_i18n, speaking
    from bot.notifications.initiatives import render_join_request, render_moderated
    from bot.services.initiatives import invites
    from bot.services.initiatives import profiles as initiatives

    owner = make_user(first_name="Emma", language_code="en")
    asker = make_user(first_name="Piet <3", username="piet_u")
    for person in (owner, asker):
        await add_person(repo, person, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(owner.id,))).id
    await invites.request_join(repo, ident, asker.id, now=clock.now())
    await initiatives.set_hidden(repo, ident, 1, hidden=True, now=clock.now())
    rows = {row.kind: row for row in await _outbox(repo)}
    recipient = await repo.users.get(owner.id)
    context = RenderContext(repo, recipient, "en", clock.now(), settings)
    with speaking(create_i18n("nl"), "en"):
        request = await render_join_request(context, rows["initiative.join_request"].params)
        assert request is not None
        assert request.text == (
            "Piet &lt;3 (@piet_u) says <b>Repair Café Lombok</b> is their initiative too and "
            "would like to help keep it up to date. Do you want to add them?"
        )
        assert button_rows(request.reply_markup) == [["✅ Accept", "❌ Decline"]]
        hidden = await render_moderated(context, rows["initiative.moderated"].params)
        assert hidden is not None and hidden.text == (
            "A coordinator has hidden the profile of <b>Repair Café Lombok</b>. "
            "If you think this is a mistake, please contact the coordinators."
        )
