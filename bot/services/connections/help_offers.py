"""Initiatives that offer help: the themes an initiative answers questions on (a setting its
members switch on and off), and the themes someone helps on, for asking."""

from __future__ import annotations

from datetime import datetime

from bot.catalog.themes import THEME_SLUGS, THEMES
from bot.services.connections.peer_questions import UnknownThemeError
from bot.services.initiatives.profiles import require_member
from storage.repositories import Repo


async def themes_with_helpers(repo: Repo) -> list[str]:
    """The themes someone offered help on, in the order of the theme list."""
    async with repo.read():
        offered = await repo.connections.offered_themes()
    return [slug for slug in THEME_SLUGS if slug in offered]


async def offers(repo: Repo, initiative_id: int, user_id: int) -> tuple[str, list[str], set[str]]:
    """A member's view of the help settings: the name, the initiative's themes, the offers."""
    async with repo.read():
        membership = await require_member(repo, initiative_id, user_id)
        offered = await repo.connections.offers_of(initiative_id)
    initiative = membership.initiative
    return initiative.name, list(initiative.themes), offered


async def toggle_offer(
    repo: Repo, initiative_id: int, user_id: int, theme: str, *, now: datetime
) -> set[str]:
    """Switch help on one theme on or off; returns the themes offered now."""
    if theme not in THEMES:
        raise UnknownThemeError(theme)
    async with repo.write():
        await require_member(repo, initiative_id, user_id)
        if theme in await repo.connections.offers_of(initiative_id):
            await repo.connections.remove_offer(initiative_id, theme)
        else:
            await repo.connections.add_offer(initiative_id, theme, user_id, now)
        offered = await repo.connections.offers_of(initiative_id)
    return offered
