"""A new seat and its reminders are stored together: on PostgreSQL in one statement, the seat's
id taken from its sequence beforehand (a block at a time), on SQLite in two."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from storage.engine import create_engine, create_session_pool
from storage.models import OutboxMessage, Registration, RegistrationStatus
from storage.repositories import Repo
from tests.event_helpers import make_event, make_people


def _seat(event_id: int, user_id: int, clock: FakeClock) -> Registration:
    now = clock.now()
    return Registration(
        event_id=event_id, user_id=user_id, status=RegistrationStatus.CONFIRMED,
        waitlist_position=None, late_cancellation=False, party_size=2, waits_for_offer=False,
        age_group=None, neighbourhood="Lombok", seat_count=1, created_at=now, updated_at=now,
        confirmed_at=now, waitlisted_at=None,
    )  # fmt: skip


def _reminders(clock: FakeClock, *offsets: int) -> Any:
    def messages_for(stored: Registration) -> list[dict[str, Any]]:
        return [
            {
                "key": f"event.reminder:{stored.id}:{offset}",
                "recipient_id": stored.user_id,
                "kind": "event.reminder",
                "params": {"registration_id": stored.id, "offset": offset},
                "due_at": clock.now() + timedelta(minutes=offset),
                "subject": f"event:{stored.event_id}:reg:{stored.id}",
                "urgent": False,
            }
            for offset in offsets
        ]

    return messages_for


async def test_a_seat_and_its_reminders_are_stored_as_one(
    engine: AsyncEngine, repo: Repo, clock: FakeClock
) -> None:
    event_id = (await make_event(repo, clock)).id
    [anna] = await make_people(repo, clock, 1, 61_000)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        async with repo.write():
            stored = await repo.registrations.add_with_messages(
                _seat(event_id, anna, clock), _reminders(clock, 60, 1440), now=clock.now()
            )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)
    writes = [s.split("(")[0].strip() for s in statements if "INSERT" in s]
    if engine.dialect.name == "sqlite":
        assert writes == ["INSERT INTO registrations", "INSERT INTO outbox"]
    else:
        assert len(writes) == 1 and writes[0].startswith("WITH")
    # The object is the row as stored, in the session as if read.
    assert stored in repo.session and stored.id is not None
    assert (stored.user_id, stored.party_size, stored.neighbourhood) == (anna, 2, "Lombok")
    assert stored.cancelled_at is None and stored.reconfirmed_at is None
    await repo.session.commit()
    repo.session.expunge_all()
    [row] = (await repo.session.scalars(select(Registration))).all()
    assert (row.id, row.status, row.seat_count, row.party_size) == (
        stored.id, RegistrationStatus.CONFIRMED, 1, 2
    )  # fmt: skip
    messages = (await repo.session.scalars(select(OutboxMessage).order_by(OutboxMessage.key))).all()
    assert [(m.key, m.subject, m.params, m.status, m.attempts) for m in messages] == [
        (f"event.reminder:{row.id}:1440", f"event:{event_id}:reg:{row.id}",
         {"registration_id": row.id, "offset": 1440}, "pending", 0),
        (f"event.reminder:{row.id}:60", f"event:{event_id}:reg:{row.id}",
         {"registration_id": row.id, "offset": 60}, "pending", 0),
    ]  # fmt: skip


async def test_a_reminder_whose_key_was_used_is_left_out(repo: Repo, clock: FakeClock) -> None:
    event_id = (await make_event(repo, clock)).id
    [anna, bram] = await make_people(repo, clock, 2, 62_000)
    async with repo.write():
        first = await repo.registrations.add_with_messages(
            _seat(event_id, anna, clock), _reminders(clock, 60), now=clock.now()
        )

    def the_same_key(stored: Registration) -> list[dict[str, Any]]:
        return [{**_reminders(clock, 60)(first)[0], "recipient_id": stored.user_id}]

    async with repo.write():
        second = await repo.registrations.add_with_messages(
            _seat(event_id, bram, clock), the_same_key, now=clock.now()
        )
    assert second.id != first.id
    messages = (await repo.session.scalars(select(OutboxMessage))).all()
    assert [(m.key, m.recipient_id) for m in messages] == [(f"event.reminder:{first.id}:60", anna)]


async def test_ids_taken_ahead_never_meet_ids_taken_otherwise(
    engine: AsyncEngine, database_url: str, repo: Repo, clock: FakeClock
) -> None:
    """Seats stored with an id taken ahead, by this process and another, and rows stored the
    usual way (the table's default) side by side: every id once, and a block is taken again
    when one runs out."""
    event_id = (await make_event(repo, clock, capacity=100)).id
    people = await make_people(repo, clock, 50, 63_000)
    other_engine = create_engine(database_url)
    try:
        async with create_session_pool(other_engine)() as session:
            other = Repo(session)
            for n, person in enumerate(people):
                target = other if n % 3 == 0 else repo
                async with target.write():
                    if n % 5 == 4:
                        await target.registrations.add(_seat(event_id, person, clock))
                    else:
                        await target.registrations.add_with_messages(
                            _seat(event_id, person, clock), _reminders(clock, 60), now=clock.now()
                        )
    finally:
        await other_engine.dispose()
    ids = (await repo.session.scalars(select(Registration.id))).all()
    assert len(ids) == len(set(ids)) == 50
    keys = (await repo.session.scalars(select(OutboxMessage.key))).all()
    assert len(keys) == 40


async def test_a_seat_without_reminders_is_stored_alone(repo: Repo, clock: FakeClock) -> None:
    event_id = (await make_event(repo, clock)).id
    [anna] = await make_people(repo, clock, 1, 64_000)
    async with repo.write():
        stored = await repo.registrations.add_with_messages(
            _seat(event_id, anna, clock), lambda _stored: [], now=clock.now()
        )
    assert (await repo.session.scalars(select(Registration.id))).all() == [stored.id]
    assert (await repo.session.scalars(select(OutboxMessage))).all() == []
