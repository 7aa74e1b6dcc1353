"""Demo data for trying the bot on a fresh machine: personas for every role (and, as features
arrive, initiatives and events). Loaded only into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.demo.connections import load_demo_connections
from bot.demo.events import load_demo_events
from bot.demo.facilitation import load_demo_facilitation
from bot.demo.initiatives import load_demo_initiatives
from storage.models import Role
from storage.repositories import Repo


@dataclass(frozen=True, slots=True)
class Persona:
    key: str
    user_id: int
    first_name: str
    role: Role
    language_code: str = "nl"


PERSONAS: tuple[Persona, ...] = (
    Persona("anna", 900_001, "Anna", Role.RESIDENT),
    Persona("fatima", 900_002, "Fatima", Role.FACILITATOR),
    Persona("kees", 900_003, "Kees", Role.COORDINATOR),
    Persona("emma", 900_004, "Emma", Role.RESIDENT, language_code="en"),
)


def find_persona(key: str) -> Persona | None:
    key = key.strip().lower()
    return next((p for p in PERSONAS if p.key == key or p.first_name.lower() == key), None)


async def database_is_empty(repo: Repo) -> bool:
    return await repo.users.count() == 0


async def load_demo_data(repo: Repo, clock: Clock) -> int:
    """Create the demo personas; returns how many rows were added. Running it twice adds nothing."""
    async with repo.write():
        added = 0
        now = clock.now()
        for persona in PERSONAS:
            user, created = await repo.users.ensure(
                persona.user_id,
                first_name=persona.first_name,
                last_name=None,
                username=None,
                telegram_language=persona.language_code,
                now=now,
            )
            if created:
                user.role = persona.role
                added += 1
        await repo.session.flush()
        added += await load_demo_initiatives(repo, now)
        added += await load_demo_connections(repo, now)
    added += await load_demo_events(repo, clock)
    added += await load_demo_facilitation(repo, clock)
    return added
