"""Demo events, relative to the clock: tables, trainings and a meetup to try signing up on,
one nearly full and one full with a waitlist. Loaded once, into a database without events."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.services.events.admin import EventDraft, create_event
from bot.services.events.registrations import sign_up
from storage.repositories import Repo

_TZ = ZoneInfo("Europe/Amsterdam")
# Residents who fill the demo seats, so "nearly full" and "waitlist" can be seen.
_EXTRA_RESIDENTS = ((900_101, "Joost"), (900_102, "Sanne"), (900_103, "Ahmed"))


def _evening(clock: Clock, days: int, start: time, hours: float = 2) -> tuple[datetime, datetime]:
    local_day = (clock.now().astimezone(_TZ) + timedelta(days=days)).date()
    begin = datetime.combine(local_day, start, _TZ).astimezone(UTC)
    return begin, begin + timedelta(hours=hours)


def _drafts(clock: Clock) -> list[tuple[EventDraft, int]]:
    """(event, how many demo residents sign up for it)."""
    table1 = _evening(clock, 3, time(19, 30))
    table2 = _evening(clock, 5, time(14, 0))
    table3 = _evening(clock, 6, time(19, 30))
    basis = _evening(clock, 10, time(10, 0), hours=6)
    spannend = _evening(clock, 24, time(10, 0), hours=6)
    meetup = _evening(clock, 8, time(16, 0))
    return [
        (
            EventDraft(
                "table",
                "Samen eten, samen praten",
                *table1,
                "Buurthuis De Pijler",
                "Utrecht",
                12,
                "Oudegracht 245",
                "eenzaamheid",
                "Een avond aan tafel over eenzaamheid in de wijk. Iedereen is welkom.",
            ),
            0,
        ),
        (
            EventDraft(
                "table",
                "Wat maakt een buurt leefbaar?",
                *table2,
                "Wijkcentrum Het Klooster",
                "Amersfoort",
                4,
                "Kloosterstraat 2",
                "leefbaarheid",
            ),
            3,
        ),
        (
            EventDraft(
                "table",
                "Jong en oud in gesprek",
                *table3,
                "Bibliotheek Zeist",
                "Zeist",
                2,
                "Markt 1",
                "ouderen",
            ),
            3,
        ),
        (
            EventDraft(
                "training",
                "Training dialoogbegeleider Basis",
                *basis,
                "Huis van de Wijk",
                "Utrecht",
                10,
                "Kanaalstraat 10",
                None,
                "Leer een dialoogtafel begeleiden.",
                level="basis",
                contribution="€ 25",
            ),
            0,
        ),
        (
            EventDraft(
                "training",
                "Training Spannende gesprekken",
                *spannend,
                "Huis van de Wijk",
                "Utrecht",
                8,
                "Kanaalstraat 10",
                None,
                level="spannend",
                contribution="€ 35",
            ),
            0,
        ),
        (
            EventDraft(
                "meetup",
                "Groene initiatieven ontmoeten elkaar",
                *meetup,
                "Buurtmoestuin De Kas",
                "Nieuwegein",
                25,
                "Parkweg 3",
                "duurzaamheid",
            ),
            0,
        ),
    ]


async def load_demo_events(repo: Repo, clock: Clock) -> int:
    """Create the demo events and their sign-ups; returns how many events were added."""
    async with repo.read():
        existing = await repo.events.count()
    if existing > 0:
        return 0
    now = clock.now()
    async with repo.write():
        for user_id, name in _EXTRA_RESIDENTS:
            await repo.users.ensure(
                user_id,
                first_name=name,
                last_name=None,
                username=None,
                telegram_language="nl",
                now=now,
            )
    drafts = _drafts(clock)
    for draft, signups in drafts:
        event = await create_event(repo, draft, created_by=None, now=now)
        for user_id, _name in _EXTRA_RESIDENTS[:signups]:
            await sign_up(repo, event.id, user_id, now=now)
    return len(drafts)
