"""Keeping initiative profiles up to date: a member's own list, editing one field, publishing
with consent, taking offline, deleting, confirming freshness, and coordinator moderation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.search import Listed
from bot.services import outbox
from bot.services.coordination import audit
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.fields import Field, check_themes, is_complete, set_value
from bot.services.initiatives.places import places_of_another_municipality
from bot.services.message_params import ModeratedParams
from storage.models import Initiative, InitiativeMember, InitiativeStatus, MemberRole, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)

FRESHNESS_INTERVAL = timedelta(days=182)  # "Klopt dit nog?" every six months
OUTDATED_AFTER = timedelta(days=365)  # shown as "possibly outdated" after a year


class InitiativeNotFoundError(InitiativeError):
    pass


class NotAMemberError(InitiativeError):
    pass


class NotAnOwnerError(InitiativeError):
    pass


class HiddenByCoordinatorError(InitiativeError):
    pass


class IncompleteProfileError(InitiativeError):
    pass


@dataclass(frozen=True, slots=True)
class Membership:
    initiative: Initiative
    role: str

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def is_outdated(initiative: Listed, now: datetime) -> bool:
    """Not confirmed by a member for `OUTDATED_AFTER`, in whole days (see `confirmation_day`)."""
    confirmed = initiative.confirmed_on
    return confirmed is not None and now.astimezone(UTC).date() - confirmed >= OUTDATED_AFTER


def outdated_before(now: datetime) -> datetime:
    """A profile last confirmed before this moment is "possibly outdated" now."""
    first_fresh_day = now.astimezone(UTC).date() - OUTDATED_AFTER + timedelta(days=1)
    return datetime.combine(first_fresh_day, time(), UTC)


def subject(initiative_id: int) -> str:
    """The outbox subject of every message about one initiative."""
    return f"initiative:{initiative_id}"


async def my_initiatives(repo: Repo, user_id: int) -> list[Membership]:
    async with repo.read():
        rows = await repo.initiatives.for_member(user_id)
    return [Membership(initiative, role) for initiative, role in rows]


async def require_member(
    repo: Repo, initiative_id: int, user_id: int, *, for_update: bool = False
) -> Membership:
    initiative = await repo.initiatives.get(initiative_id, for_update=for_update)
    if initiative is None:
        raise InitiativeNotFoundError(initiative_id)
    member = await repo.initiatives.member(initiative_id, user_id)
    if member is None:
        raise NotAMemberError(initiative_id)
    return Membership(initiative, member.role)


async def open_as_member(repo: Repo, initiative_id: int, user_id: int) -> Membership:
    """The initiative and the user's role in it; refuses people who are not a member."""
    async with repo.read():
        return await require_member(repo, initiative_id, user_id)


async def themes_with_toggled(repo: Repo, initiative_id: int, user_id: int, slug: str) -> list[str]:
    """The member's initiative's themes with `slug` ticked or unticked, checked (at most three,
    at least one); not stored yet: the edit saves it like any other answer."""
    membership = await open_as_member(repo, initiative_id, user_id)
    themes = [theme for theme in membership.initiative.themes if theme != slug]
    if slug not in membership.initiative.themes:
        themes.append(slug)
    return check_themes(themes)


async def members_of(
    repo: Repo, initiative_id: int, user_id: int
) -> tuple[Membership, list[tuple[InitiativeMember, User]]]:
    """The member list of an initiative, for its members only."""
    async with repo.read():
        membership = await require_member(repo, initiative_id, user_id)
        return membership, await repo.initiatives.members(initiative_id)


async def open_public(repo: Repo, initiative_id: int, user_id: int) -> Membership | None:
    """What a link to an initiative shows: members see their own, others only published ones."""
    async with repo.read():
        initiative = await repo.initiatives.get(initiative_id)
        member = await repo.initiatives.member(initiative_id, user_id) if initiative else None
    if initiative is None or (member is None and not initiative.is_published):
        return None
    return Membership(initiative, member.role if member else "")


async def update_field(
    repo: Repo, initiative_id: int, user_id: int, field: Field, value: Any, *, now: datetime
) -> tuple[Initiative, list[str]]:
    """Change one field of a profile (the value was checked by `initiative_fields`). A new
    municipality clears a neighbourhood and pin that belong to another one; returns what was
    cleared so the member can be told."""
    async with repo.write():
        membership = await require_member(repo, initiative_id, user_id)
        initiative = membership.initiative
        set_value(initiative, field, value)
        cleared = places_of_another_municipality(initiative) if field is Field.MUNICIPALITY else []
        initiative.updated_at = now
        if initiative.is_published:
            initiative.last_confirmed_at = now  # a member just looked at it and changed it
    return initiative, cleared


async def publish(repo: Repo, initiative_id: int, user_id: int, *, now: datetime) -> Initiative:
    """Make a profile public; the member's tap on "publish" is their consent."""
    async with repo.write():
        initiative = (
            await require_member(repo, initiative_id, user_id, for_update=True)
        ).initiative
        if initiative.is_hidden:
            raise HiddenByCoordinatorError(initiative_id)
        if not is_complete(initiative):
            raise IncompleteProfileError(initiative_id)
        if not initiative.is_published:
            initiative.status = InitiativeStatus.PUBLISHED
            initiative.draft_step = None
            initiative.consent_at = now
            initiative.consent_source = "member"
            initiative.published_at = initiative.published_at or now
            initiative.last_confirmed_at = now
            initiative.updated_at = now
    return initiative


async def unpublish(repo: Repo, initiative_id: int, user_id: int, *, now: datetime) -> Initiative:
    """Take a profile offline: only its members see it until they publish it again."""
    async with repo.write():
        initiative = (
            await require_member(repo, initiative_id, user_id, for_update=True)
        ).initiative
        if initiative.is_hidden:
            raise HiddenByCoordinatorError(initiative_id)
        if initiative.is_published:
            initiative.status = InitiativeStatus.DRAFT
            initiative.updated_at = now
            await outbox.cancel_subject(repo, subject(initiative_id), now=now)
    return initiative


async def delete(repo: Repo, initiative_id: int, user_id: int, *, now: datetime) -> str:
    """Delete a profile for good (owners only); returns its name for the goodbye."""
    async with repo.write():
        membership = await require_member(repo, initiative_id, user_id, for_update=True)
        if not membership.is_owner:
            raise NotAnOwnerError(initiative_id)
        name = membership.initiative.name
        await outbox.cancel_subject(repo, subject(initiative_id), now=now)
        await repo.initiatives.delete(membership.initiative)
    logger.info("initiative %s deleted by its owner", initiative_id)
    return name


async def confirm_fresh(
    repo: Repo, initiative_id: int, user_id: int, *, now: datetime
) -> Initiative:
    """A member says the profile is still right ("Klopt")."""
    async with repo.write():
        initiative = (await require_member(repo, initiative_id, user_id)).initiative
        initiative.last_confirmed_at = now
        initiative.updated_at = now  # "possibly outdated" may disappear from search results
    return initiative


async def members(repo: Repo, initiative_id: int, user_id: int) -> list[InitiativeMember]:
    async with repo.read():
        await require_member(repo, initiative_id, user_id)
        rows = await repo.initiatives.members(initiative_id)
    return [member for member, _user in rows]


async def set_hidden(
    repo: Repo, initiative_id: int, coordinator_id: int, *, hidden: bool, now: datetime
) -> Initiative:
    """Moderation: a coordinator hides a profile, or shows it again (the role is checked by the
    handler's filter). Who and when is kept on the profile; the log says what happened."""
    async with repo.write():
        initiative = await repo.initiatives.get(initiative_id, for_update=True)
        if initiative is None:
            raise InitiativeNotFoundError(initiative_id)
        if hidden:
            initiative.status = InitiativeStatus.HIDDEN
            initiative.hidden_by = coordinator_id
            initiative.hidden_at = now
        elif initiative.is_hidden:
            consented = initiative.consent_at is not None and is_complete(initiative)
            status = InitiativeStatus.PUBLISHED if consented else InitiativeStatus.DRAFT
            initiative.status = status
            initiative.hidden_by = None
            initiative.hidden_at = None
        initiative.updated_at = now
        for user_id in (await repo.initiatives.member_ids([initiative_id])).get(initiative_id, []):
            await outbox.schedule(
                repo,
                key=f"moderation:{initiative_id}:{user_id}:{int(now.timestamp())}:{int(hidden)}",
                recipient_id=user_id,
                kind="initiative.moderated",
                params=ModeratedParams(initiative_id=initiative_id, hidden=hidden),
                due_at=now,
                now=now,
                subject=subject(initiative_id),
            )
        await audit.record(
            repo,
            actor_id=coordinator_id,
            action="initiative.hide" if hidden else "initiative.show",
            target=f"initiative:{initiative_id}",
            details={"status": initiative.status},
            now=now,
        )
    logger.info("initiative %s %s by a coordinator", initiative_id, "hidden" if hidden else "shown")
    return initiative
