"""Registering a new initiative step by step. The draft lives in the database (with the step
to resume at), so stopping halfway, a restart of the bot or a new phone loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from bot.catalog.municipalities import fold
from bot.search.geo import haversine_km
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import (
    PREVIEW,
    REQUIRED,
    STEPS,
    Field,
    check_themes,
    has_value,
    set_value,
)
from bot.services.initiatives.places import places_of_another_municipality
from bot.services.initiatives.profiles import publish
from storage.models import Initiative, InitiativeStatus, MemberRole
from storage.repositories import Repo

SIMILAR_NAME = 85.0  # name similarity (0–100) that makes two initiatives look like one
NEARBY_KM = 3.0


class DraftGoneError(InitiativeError):
    """The draft was finished, cancelled or deleted meanwhile (e.g. an old button)."""


async def unfinished_draft(repo: Repo, user_id: int) -> Initiative | None:
    async with repo.read():
        draft = await repo.initiatives.unfinished_draft(user_id)
    return draft


async def start(repo: Repo, user_id: int, *, now: datetime) -> Initiative:
    """A new empty draft owned by the user; an unfinished earlier draft is thrown away."""
    async with repo.write():
        old = await repo.initiatives.unfinished_draft(user_id)
        if old is not None:
            await repo.initiatives.delete(old)
        draft = await repo.initiatives.add(
            Initiative(
                name="",
                description="",
                themes=[],
                keywords=[],
                status=InitiativeStatus.DRAFT,
                draft_step=STEPS[0].value,
                created_by=user_id,
                created_at=now,
                updated_at=now,
            )
        )
        await repo.initiatives.add_member(draft.id, user_id, MemberRole.OWNER, now)
    return draft


async def _draft(repo: Repo, user_id: int) -> Initiative:
    draft = await repo.initiatives.unfinished_draft(user_id)
    if draft is None:
        raise DraftGoneError(user_id)
    return draft


async def load(repo: Repo, user_id: int) -> Initiative:
    """The user's unfinished draft (one at a time), or DraftGoneError."""
    async with repo.read():
        return await _draft(repo, user_id)


def next_step(step: str) -> str:
    names = [field.value for field in STEPS] + [PREVIEW]
    return names[min(names.index(step) + 1, len(names) - 1)]


def previous_step(step: str) -> str:
    names = [field.value for field in STEPS] + [PREVIEW]
    return names[max(names.index(step) - 1, 0)]


def _move(draft: Initiative, step: str, now: datetime) -> Initiative:
    draft.draft_step = step
    draft.updated_at = now
    return draft


async def answer(
    repo: Repo, user_id: int, field: Field, value: Any, *, now: datetime
) -> Initiative:
    """Store a checked answer and move on to the next step."""
    async with repo.write():
        draft = await _draft(repo, user_id)
        set_value(draft, field, value)
        if field is Field.MUNICIPALITY:
            places_of_another_municipality(draft)  # asked again in the next steps
        return _move(draft, next_step(field.value), now)


async def skip(repo: Repo, user_id: int, field: Field, *, now: datetime) -> Initiative:
    """Go on without answering: keeps what is there, or leaves an optional field empty."""
    async with repo.write():
        draft = await _draft(repo, user_id)
        if field in REQUIRED and not has_value(draft, field):
            return draft
        return _move(draft, next_step(field.value), now)


async def back(repo: Repo, user_id: int, *, now: datetime) -> Initiative:
    async with repo.write():
        draft = await _draft(repo, user_id)
        return _move(draft, previous_step(draft.draft_step or STEPS[0].value), now)


async def toggle_theme(repo: Repo, user_id: int, slug: str, *, now: datetime) -> Initiative:
    """Tick or untick a theme (at most three; a fourth is refused by `check_themes`)."""
    async with repo.write():
        draft = await _draft(repo, user_id)
        themes = list(draft.themes)
        if slug in themes:
            themes.remove(slug)
        else:
            check_themes([*themes, slug])
            themes.append(slug)
        draft.themes = themes
        draft.updated_at = now
    return draft


async def cancel(repo: Repo, user_id: int) -> None:
    """Throw the draft away; nothing was ever public."""
    async with repo.write():
        draft = await repo.initiatives.unfinished_draft(user_id)
        if draft is not None:
            await repo.initiatives.delete(draft)


async def save_for_later(repo: Repo, user_id: int, *, now: datetime) -> Initiative:
    """Finish without publishing: the profile stays private in the member's own list."""
    async with repo.write():
        draft = await _draft(repo, user_id)
        draft.draft_step = None
        draft.updated_at = now
    return draft


async def publish_draft(repo: Repo, user_id: int, *, now: datetime) -> Initiative:
    """The member agreed: publish the finished draft."""
    draft = await load(repo, user_id)
    return await publish(repo, draft.id, user_id, now=now)


async def similar_published(repo: Repo, draft: Initiative) -> list[Initiative]:
    """Published initiatives that look like this draft: a similar name in the same municipality
    or within a few kilometres. The user's own initiatives are left out."""
    async with repo.read():
        candidates: dict[int, Initiative] = {}
        if draft.municipality:
            for other in await repo.initiatives.published_in(draft.municipality):
                candidates[other.id] = other
        if draft.lat is not None and draft.lon is not None:
            span = NEARBY_KM / 111.0
            nearby = await repo.initiatives.published_within(draft.lat, draft.lon, span, span * 1.7)
            for other in nearby:
                if other.lat is not None and other.lon is not None:
                    distance = haversine_km(draft.lat, draft.lon, other.lat, other.lon)
                    if distance <= NEARBY_KM:
                        candidates[other.id] = other
        own = {
            initiative.id
            for initiative, _role in await repo.initiatives.for_member(draft.created_by or 0)
        }
    name = fold(draft.name)
    scored = [
        (fuzz.token_set_ratio(name, fold(other.name)), other)
        for other in candidates.values()
        if other.id not in own
    ]
    return [
        other
        for score, other in sorted(scored, key=lambda s: (-s[0], s[1].id))
        if score >= SIMILAR_NAME
    ]
