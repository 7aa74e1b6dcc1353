""" "Possibly outdated" is counted in whole days (UTC): a list of results (made from the search
index), the card (read from the database) and the coordinators' figures say the same of every
profile at every moment, also around midnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.services.initiatives.profiles import OUTDATED_AFTER, is_outdated, outdated_before
from bot.services.search.index_sync import document
from storage.models import Initiative

_MOMENTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)

_LATER = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800))


def _row(confirmed: datetime | None) -> tuple[object, ...]:
    return (1, None, "Repair Café", "", ["duurzaamheid"], "Utrecht", "West", [], None, None,
            confirmed)  # fmt: skip


@given(
    confirmed=_MOMENTS, later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800))
)
def test_the_list_the_card_and_the_figures_agree_on_what_is_outdated(
    confirmed: datetime, later: timedelta
) -> None:
    now = confirmed + later
    listed = document(_row(confirmed))
    stored = Initiative(last_confirmed_at=confirmed)
    counted = confirmed < outdated_before(now)  # what the figures' query counts
    assert is_outdated(listed, now) == is_outdated(stored, now) == counted
    # The same moment on a clock in Amsterdam says the same.
    assert is_outdated(listed, now.astimezone(ZoneInfo("Europe/Amsterdam"))) == counted


def test_a_profile_is_outdated_from_the_first_moment_of_the_day_a_year_after() -> None:
    confirmed = datetime(2025, 12, 3, 23, 30, tzinfo=UTC)
    listed = document(_row(confirmed))
    assert timedelta(days=365) == OUTDATED_AFTER
    assert not is_outdated(listed, datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC))
    assert is_outdated(listed, datetime(2026, 12, 3, 0, 0, tzinfo=UTC))
    assert not is_outdated(document(_row(None)), datetime(2030, 1, 1, tzinfo=UTC))


def test_documents_confirmed_on_the_same_day_share_that_day() -> None:
    morning = document(_row(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)))
    evening = document(_row(datetime(2026, 3, 2, 21, 15, 7, 123, tzinfo=UTC)))
    assert morning.confirmed_on is evening.confirmed_on
