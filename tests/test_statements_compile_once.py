"""The statements of what people do most (an event card, a sign-up, the agenda's counts) are
compiled once: none has a fixed value list that SQLAlchemy would spread over its parameters
again at every execution (`storage.expressions.one_of`)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from storage.repositories import events, registrations

STATEMENTS = {
    "card": registrations._EVENT_WITH_OWN.statement,
    "sign-up facts": registrations._SIGN_UP_FACTS.statement,
    "sign-up lock": events.LOCK_EVENT,
    "sign-up on SQLite": registrations._EVENT_AND_SIGN_UP_FACTS.statement,
}


@pytest.mark.parametrize(
    "dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgres"]
)
@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_a_frequent_statement_has_no_list_to_spread_at_each_execution(
    name: str, dialect: Any
) -> None:
    compiled = STATEMENTS[name].compile(dialect=dialect)
    assert not compiled.post_compile_params, name


def test_the_agenda_counts_spread_only_the_events_asked_for() -> None:
    compiled = registrations._COUNTS.compile(dialect=postgresql.dialect())
    assert [param.key for param in compiled.post_compile_params] == ["event_ids"]
