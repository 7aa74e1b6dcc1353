"""/stats on a known set of events and sign-ups: the figures, in Dutch and English, the
periods, and the chart of sign-ups and attendance per month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile

from bot.keyboards.callbacks import StatsCallback
from bot.services.coordination import stats
from bot.services.coordination.stats import BadPeriodError
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import T0, add_event, add_initiative, add_user, register
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI, button_rows

A, B, C, D, E, F, G = range(7001, 7008)


@pytest.fixture
async def year(repo: Repo) -> None:
    """2026: two tables and a training held, a meetup called off; one table in 2025."""
    await add_user(repo, COORDINATOR_ID, role="coordinator", first_name="Kees")
    for user_id in (A, B, C, D, E, F, G):
        await add_user(repo, user_id)
    await add_initiative(repo, [A])
    await add_initiative(repo, [], name="Buurttuin")
    await add_initiative(repo, [], name="Oud", last_confirmed_at=T0 - timedelta(days=800))
    await add_initiative(repo, [], name="Concept", status="draft")
    first = await add_event(repo, capacity=4)
    second = await add_event(
        repo, capacity=4, venue="Het Huis", municipality="Amersfoort",
        starts_at=datetime(2026, 3, 20, 18, 0, tzinfo=UTC),
    )  # fmt: skip
    training = await add_event(
        repo, kind="training", level="basis", capacity=2, venue="buurthuis de pijler ",
        starts_at=datetime(2026, 4, 7, 17, 0, tzinfo=UTC),
    )  # fmt: skip
    await add_event(repo, kind="meetup", status="cancelled", capacity=9)
    old = await add_event(repo, starts_at=datetime(2025, 6, 1, 17, 0, tzinfo=UTC))
    for user_id in (A, B):
        await register(repo, first.id, user_id, "attended")
    await register(repo, first.id, C, "attended", waitlisted=True)  # moved up, then came
    await register(repo, first.id, D, "no_show")
    await register(repo, first.id, E, "waitlisted", position=1)
    await register(repo, first.id, F, "cancelled")
    await register(repo, second.id, A)
    await register(repo, second.id, G)
    await register(repo, training.id, B, "attended")
    await register(repo, old.id, G, "attended", now=datetime(2025, 5, 1, tzinfo=UTC))


async def test_figures_of_a_year_in_dutch_with_the_monthly_chart(
    feed: Feeder, bot_api: MockedBotAPI, year: None
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/stats 2026"))
    figures = bot_api.take(SendMessage)
    assert figures.text == (
        "📊 <b>Cijfers</b> (2026)\n\n"
        "👥 Mensen die de bot gebruiken: 8 (8 nieuw)\n"
        "🏠 Actieve initiatieven: 3 (misschien verouderd: 1)\n"
        "💬 Dialoogtafels: 2\n"
        "🎓 Trainingen: 1\n"
        "☕ Ontmoetingen: 0\n"
        "❌ Afgelast: 1\n"
        "📍 2 locaties in 2 gemeenten\n"
        "🙋 Deelnemers: 5 (7 aanmeldingen)\n"
        "🪑 Bezetting: 70%\n"
        "⏳ Nu op een wachtlijst: 1; doorgeschoven van de wachtlijst: 1\n"
        "✅ Opkomst: 80%; niet gekomen: 1 (20%)\n"
        "🧑‍🏫 Verzoeken aan begeleiders beantwoord: nog niet beschikbaar; "
        "mediane antwoordtijd: nog niet beschikbaar"
    )
    assert button_rows(figures.reply_markup) == [
        ["Deze maand", "Vorige maand"],
        ["Dit jaar", "Vorig jaar"],
        ["Alles"],
    ]
    chart = bot_api.take(SendPhoto)
    assert chart.caption == "Aanmeldingen en aanwezigheid per maand"
    assert isinstance(chart.photo, BufferedInputFile)
    assert chart.photo.data.startswith(b"\x89PNG\r\n\x1a\n") and len(chart.photo.data) > 5000


async def test_monthly_series_counts_sign_ups_and_attendance(repo: Repo, year: None) -> None:
    period = stats.parse_period("2026", now=T0, tz=_tz())
    series = await stats.monthly(repo, period, tz=_tz())
    assert series.months == [f"2026-{month:02d}" for month in range(1, 13)]
    # Both by the month of the event: never more people present than signed up.
    assert series.signups == [0, 0, 6, 1] + [0] * 8
    assert series.attended == [0, 0, 3, 1] + [0] * 8
    assert all(came <= signed for came, signed in zip(series.attended, series.signups, strict=True))
    everything = stats.parse_period("alles", now=T0, tz=_tz())
    series = await stats.monthly(repo, everything, tz=_tz())
    assert (series.months[0], series.months[-1]) == ("2025-06", "2026-04")


async def test_period_buttons_and_english(feed: Feeder, bot_api: MockedBotAPI, year: None) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await feed(callback_update(kees, StatsCallback(period="lastyear").pack()))
    bot_api.take(AnswerCallbackQuery)
    figures = bot_api.take(SendMessage)
    assert figures.text.startswith("📊 <b>Figures</b> (2025)\n\n")
    assert "💬 Dialogue tables: 1\n" in figures.text
    assert "✅ Attendance: 100%; no-shows: 0 (0%)\n" in figures.text
    assert figures.text.endswith(
        "🧑‍🏫 Facilitator requests answered: not available yet; "
        "median answer time: not available yet"
    )
    bot_api.take(SendPhoto)

    await feed(message_update(kees, "/stats someday"))
    answer = bot_api.take(SendMessage)
    assert answer.text.startswith("I don't understand that period. Try for example: /stats 2026")
    assert button_rows(answer.reply_markup)[0] == ["This month", "Last month"]


def _tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        (None, "2026-01-01", "2026-12-31"),
        ("maand", "2026-03-01", "2026-03-31"),
        ("vorige maand", "2026-02-01", "2026-02-28"),
        ("lastyear", "2025-01-01", "2025-12-31"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-01-15..2026-02-15", "2026-01-15", "2026-02-15"),
    ],
)
def test_periods(typed: str | None, first: str, last: str) -> None:
    period = stats.parse_period(typed, now=T0, tz=_tz())
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)
    assert period.start == datetime(int(first[:4]), int(first[5:7]), int(first[8:]),
                                    tzinfo=_tz()).astimezone(UTC)  # fmt: skip


@pytest.mark.parametrize("typed", ["gisteren", "2026-13", "2026-03-01..2026-02-01", "20266"])
def test_unknown_periods_are_refused(typed: str) -> None:
    with pytest.raises(BadPeriodError):
        stats.parse_period(typed, now=T0, tz=_tz())


@pytest.mark.parametrize(
    ("typed", "language", "words"),
    [
        ("2026", "nl", "2026"),
        ("2026-03", "nl", "maart 2026"),
        ("2026-03", "en", "March 2026"),
        ("alles", "nl", "alles"),
        ("all", "en", "all time"),
        ("2026-01-15..2026-06-30", "nl", "15 jan 2026 t/m 30 jun 2026"),
        ("2026-01-15..2026-06-30", "en", "15 Jan 2026 to 30 Jun 2026"),
    ],
)
async def test_the_period_is_said_in_words(
    feed: Feeder, bot_api: MockedBotAPI, year: None, typed: str, language: str, words: str
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)
    await feed(message_update(kees, f"/stats {typed}"))
    heading = bot_api.take(SendMessage).text.split("\n", 1)[0]
    assert heading.endswith(f"</b> ({words})")
    bot_api.calls.clear()


async def test_the_chart_speaks_the_coordinators_language(
    feed: Feeder, bot_api: MockedBotAPI, year: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.services.coordination import charts

    drawn: list[charts.ChartLabels] = []
    real = charts.draw_monthly_chart

    def draw(series: stats.MonthSeries, labels: charts.ChartLabels) -> bytes:
        drawn.append(labels)
        return real(series, labels)

    monkeypatch.setattr(charts, "draw_monthly_chart", draw)
    for language in ("nl", "en"):
        kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code=language)
        await feed(message_update(kees, "/stats 2026"))
        bot_api.take(SendMessage), bot_api.take(SendPhoto)
    dutch, english = drawn
    assert (dutch.x_axis, dutch.y_axis, dutch.signups, dutch.attended) == (
        "Maand van de activiteit",
        "Aantal mensen",
        "Aanmeldingen",
        "Aanwezig",
    )
    assert dutch.months[:3] == ["jan 2026", "feb 2026", "mrt 2026"]
    assert (english.x_axis, english.y_axis) == ("Month of the event", "Number of people")
    assert english.months[2] == "Mar 2026"
