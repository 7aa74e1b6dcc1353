"""Every action only a coordinator may take is in the audit log, with who did it.

Every admin command and every admin button of the guard test (which makes sure each one is
listed) is used by a coordinator, one after the other. Whatever changes something in the
database, or hands out a file, must have added an audit entry naming that coordinator. A new
admin action without an audit entry makes this test fail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram.methods import SendDocument, SendMessage
from sqlalchemy import select

from bot.keyboards.callbacks import AttendanceCallback
from storage.base import Base
from storage.models import (
    AuditEntry,
    IntroThread,
    KnowledgeArticle,
    MeetupProposal,
    Registration,
)
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.coordination_support import T0, add_event, add_initiative, add_user, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI
from tests.test_coordination_guard import ADMIN_COMMANDS, _forged, world  # noqa: F401

# What every update touches (the person's "last seen"), and the log itself.
_BOOKKEEPING = {"users", "audit_log"}


async def _state(repo: Repo) -> dict[str, list[Any]]:
    repo.session.expire_all()
    tables = {}
    for table in Base.metadata.sorted_tables:
        if table.name not in _BOOKKEEPING:
            rows = (await repo.session.execute(select(table))).all()
            tables[table.name] = sorted(repr(tuple(row)) for row in rows)
    await repo.session.commit()
    return tables


async def _entries(repo: Repo) -> list[tuple[int | None, str]]:
    repo.session.expire_all()
    rows = (await repo.session.execute(select(AuditEntry.actor_id, AuditEntry.action))).all()
    await repo.session.commit()
    return [(actor, action) for actor, action in rows]


async def test_every_admin_action_that_changes_something_is_in_the_log(
    feed: Feeder,
    bot_api: MockedBotAPI,
    repo: Repo,
    world: dict[str, int],  # noqa: F811
) -> None:
    coordinator = make_user(id=5001, language_code="nl", username="coordinatrix")
    steps = await _more_to_act_on(repo)
    steps += [f"/{command} {world['event']} bewoner facilitator" for command in ADMIN_COMMANDS]
    steps += [data for samples in _forged(world).values() for data in samples]
    unlogged, acted = [], []
    for step in sorted(steps):
        before, logged = await _state(repo), await _entries(repo)
        if step.startswith("/"):
            await feed(message_update(coordinator, step))
        else:
            await feed(callback_update(coordinator, step))
        calls = bot_api.take_all()
        await feed(message_update(coordinator, "/annuleren"))  # leave any flow it started
        bot_api.take_all()
        changed = await _state(repo) != before
        handed_out = any(isinstance(call, SendDocument) for call in calls)
        if not (changed or handed_out):
            continue
        acted.append(step)
        new = (await _entries(repo))[len(logged) :]
        if not any(actor == coordinator.id for actor, _action in new):
            texts = [c.text for c in calls if isinstance(c, SendMessage)]
            unlogged.append(f"{step} -> {texts[:1]}")
    assert unlogged == []
    # The walk did reach actions (so the test can fail): calling off, attendance, exports …
    assert len(acted) >= 12, acted


async def _more_to_act_on(repo: Repo) -> list[str]:
    """An initiative, a reported introduction, an article, a meetup proposal and a table that
    took place, and the commands and buttons that act on them."""
    await add_user(repo, 5003, username="bewoner")
    initiative = await add_initiative(repo, [5003], name="Moestuin Oost", lat=52.09, lon=5.12)
    past = await add_event(repo, starts_at=T0 - timedelta(days=2), kind="training", level="basis")
    await register(repo, past.id, 5003)
    seat = await repo.session.scalar(
        select(Registration.id).where(Registration.event_id == past.id)
    )
    await repo.session.commit()
    async with repo.write():
        repo.session.add(
            IntroThread(
                id=1, initiative_id=initiative.id, sender_id=5002, status="open",
                reported_side="initiative", reported_at=T0, created_at=T0, updated_at=T0,
            )
        )  # fmt: skip
        repo.session.add(
            KnowledgeArticle(id=1, title="Subsidie", body="Zo vraag je het aan.", created_at=T0,
                             updated_at=T0)
        )  # fmt: skip
        repo.session.add(
            MeetupProposal(
                id=1, month="2026-03", theme="duurzaamheid", center_id=initiative.id,
                municipality="Utrecht", lat=52.09, lon=5.12, initiative_ids=[initiative.id],
                status="proposed", created_at=T0,
            )
        )  # fmt: skip
    return [
        "/rol @bewoner facilitator",
        "/certificeer @bewoner verdieping",
        f"/verberg {initiative.id}",
        f"/toon {initiative.id}",
        AttendanceCallback(registration_id=int(seat or 0), attended=True).pack(),
    ]
