"""A small, realistic set of published initiatives for the search chat tests."""

from __future__ import annotations

from datetime import datetime

from storage.models import Initiative
from storage.repositories import Repo
from tests.initiatives_support import add_initiative


async def add_gardens(repo: Repo, now: datetime) -> dict[str, int]:
    """Two vegetable gardens and a language café in and around Utrecht, by their ids."""
    found: dict[str, Initiative] = {
        "bongerd": await add_initiative(
            repo,
            now,
            name="Buurtmoestuin De Bongerd",
            description="Samen groenten kweken en oogsten in de wijk. Iedereen kan meedoen.",
            themes=["natuur-en-groen", "voedsel"],
            municipality="Utrecht",
            neighbourhood="Lombok",
            keywords=["moestuin", "tuinieren"],
            lat=52.0930,
            lon=5.1010,
            website="https://bongerd.example.nl",
            telegram="bongerdtuin",
            email="tuin@bongerd.example.nl",
        ),
        "zeist": await add_initiative(
            repo,
            now,
            name="Groentetuin Zeist-West",
            description="Een volkstuin waar ouderen en kinderen samen tuinieren.",
            themes=["natuur-en-groen", "ouderen"],
            municipality="Zeist",
            neighbourhood="",
            keywords=["volkstuin"],
            lat=52.0890,
            lon=5.2230,
            website=None,
        ),
        "taalcafe": await add_initiative(
            repo,
            now,
            name="Taalcafé Overvecht",
            description="Elke week Nederlands oefenen met koffie en een praatje.",
            themes=["taal", "nieuwkomers"],
            municipality="Utrecht",
            neighbourhood="Overvecht",
            keywords=["taal", "koffie"],
            lat=52.1170,
            lon=5.1130,
        ),
    }
    return {key: initiative.id for key, initiative in found.items()}
