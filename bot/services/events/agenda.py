"""Someone's own agenda: their seats and waitlist places, the tables they lead
(`MyAgenda.duties`, from the facilitation feature), what they asked to hear about
(`MyAgenda.wishes`), and a calendar file per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.events.ics import event_calendar
from bot.services.events.registrations import visible_event
from storage.models import Event, FacilitationRequest, Registration, StandingWish
from storage.repositories import Repo


@dataclass
class MyAgenda:
    entries: list[tuple[Registration, Event]]
    duties: list[tuple[FacilitationRequest, Event]] = field(default_factory=list)
    wishes: list[StandingWish] = field(default_factory=list)


async def my_agenda(repo: Repo, user_id: int, *, now: datetime) -> MyAgenda:
    async with repo.read():
        entries = await repo.registrations.agenda(user_id, now)
        duties = await repo.facilitation.duties(user_id, now)
        wished = await repo.wishes.of_user(user_id, now)
    return MyAgenda(entries, duties, wished)


async def calendar_file(
    repo: Repo, event_id: int, *, now: datetime, tz: ZoneInfo, url: str = ""
) -> tuple[str, bytes]:
    """(file name, .ics content) of a published or cancelled event."""
    async with repo.read():
        event = visible_event(await repo.events.get(event_id), event_id)
    return f"samenspel-{event_id}.ics", event_calendar(event, now=now, tz=tz, url=url)
