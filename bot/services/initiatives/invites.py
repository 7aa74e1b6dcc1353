"""Co-members of an initiative: one-time invitation links, leaving, handing over ownership, and
requests to join an existing initiative (from the duplicate hint while registering)."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.profiles import (
    InitiativeNotFoundError,
    NotAnOwnerError,
    require_member,
    subject,
)
from bot.services.message_params import (
    JoinAnswerParams,
    JoinRequestParams,
    MemberJoinedParams,
)
from storage.models import (
    Initiative,
    InitiativeInvite,
    InitiativeJoinRequest,
    MemberRole,
    Role,
)
from storage.repositories import Repo

logger = logging.getLogger(__name__)

INVITE_VALID_FOR = timedelta(days=7)
INVITE_PREFIX = "inv_"


class InviteUnusableError(InitiativeError):
    """The link is unknown, used already or expired."""


class AlreadyMemberError(InitiativeError):
    pass


class LastOwnerError(InitiativeError):
    """The only owner cannot leave: hand over to someone else first, or delete."""


class RequestDecidedError(InitiativeError):
    """Someone answered this join request already."""


async def create_invite(
    repo: Repo, initiative_id: int, user_id: int, *, now: datetime
) -> InitiativeInvite:
    """A new one-time link for a co-member; any member may invite."""
    async with repo.write():
        await require_member(repo, initiative_id, user_id)
        invite = InitiativeInvite(
            token=secrets.token_urlsafe(12),
            initiative_id=initiative_id,
            created_by=user_id,
            created_at=now,
            expires_at=now + INVITE_VALID_FOR,
        )
        await repo.initiatives.add_invite(invite)
    return invite


async def accept_invite(repo: Repo, token: str, user_id: int, *, now: datetime) -> Initiative:
    """Join through a link. It works once, for one person, within seven days."""
    async with repo.write():
        invite = await repo.initiatives.invite(token)
        if invite is None:
            raise InviteUnusableError(token)
        initiative = await repo.initiatives.get(invite.initiative_id)
        if initiative is None:
            raise InviteUnusableError(token)
        if await repo.initiatives.member(initiative.id, user_id) is not None:
            raise AlreadyMemberError(initiative.id)
        if not await repo.initiatives.claim_invite(token, user_id, now):
            raise InviteUnusableError(token)
        # A claim link of an initiative nobody belonged to makes its first member the owner.
        has_owner = await repo.initiatives.owner_count(initiative.id) > 0
        role = MemberRole.EDITOR if has_owner else MemberRole.OWNER
        await repo.initiatives.add_member(initiative.id, user_id, role, now)
        if not has_owner:
            initiative.last_confirmed_at = now  # they just looked at it: it counts as checked
        if invite.created_by is not None and invite.created_by != user_id:
            await outbox.schedule(
                repo,
                key=f"member-joined:{invite.id}",
                recipient_id=invite.created_by,
                kind="initiative.member_joined",
                params=MemberJoinedParams(initiative_id=initiative.id, member_id=user_id),
                due_at=now,
                now=now,
                subject=subject(initiative.id),
            )
    return initiative


async def leave(repo: Repo, initiative_id: int, user_id: int) -> str:
    """Stop being a member; the last owner is refused. Returns the initiative's name."""
    async with repo.write():
        # Locking the initiative row makes two owners leaving at the same time take turns.
        membership = await require_member(repo, initiative_id, user_id, for_update=True)
        if membership.is_owner and await repo.initiatives.owner_count(initiative_id) <= 1:
            raise LastOwnerError(initiative_id)
        await repo.initiatives.remove_member(initiative_id, user_id)
    return membership.initiative.name


async def make_owner(repo: Repo, initiative_id: int, user_id: int, member_id: int) -> None:
    """An owner makes another member an owner too (so they can leave, or share the work)."""
    async with repo.write():
        if not (await require_member(repo, initiative_id, user_id, for_update=True)).is_owner:
            raise NotAnOwnerError(initiative_id)
        member = await repo.initiatives.member(initiative_id, member_id)
        if member is None:
            raise InitiativeNotFoundError(initiative_id)
        member.role = MemberRole.OWNER


async def request_join(
    repo: Repo, initiative_id: int, user_id: int, *, now: datetime
) -> Initiative:
    """Ask to join a published initiative. Its owners decide; an initiative without members
    (imported from the address file) is decided by the coordinators."""
    async with repo.write():
        initiative = await repo.initiatives.get(initiative_id)
        if initiative is None or not initiative.is_published:
            raise InitiativeNotFoundError(initiative_id)
        if await repo.initiatives.member(initiative_id, user_id) is not None:
            raise AlreadyMemberError(initiative_id)
        await repo.initiatives.add_join_request(initiative_id, user_id, now)
        request = await repo.initiatives.join_request(initiative_id=initiative_id, user_id=user_id)
        assert request is not None
        for recipient in await _deciders(repo, initiative_id):
            await outbox.schedule(
                repo,
                key=f"join:{request.id}:{recipient}",
                recipient_id=recipient,
                kind="initiative.join_request",
                params=JoinRequestParams(request_id=request.id),
                due_at=now,
                now=now,
                subject=subject(initiative_id),
            )
    return initiative


async def _deciders(repo: Repo, initiative_id: int) -> list[int]:
    owners = [
        member.user_id
        for member, _user in await repo.initiatives.members(initiative_id)
        if member.role == MemberRole.OWNER
    ]
    if owners:
        return owners
    return [user.id for user in await repo.users.with_role(Role.COORDINATOR)]


async def decide_join(
    repo: Repo, request_id: int, decider_id: int, *, accept: bool, now: datetime
) -> tuple[Initiative, InitiativeJoinRequest]:
    """An owner (or, without members, a coordinator) accepts or declines; the first answer
    counts. The person who asked is told either way."""
    async with repo.write():
        request = await repo.initiatives.join_request(request_id)
        if request is None:
            raise InitiativeNotFoundError(request_id)
        initiative = await repo.initiatives.get(request.initiative_id, for_update=True)
        if initiative is None:
            raise InitiativeNotFoundError(request.initiative_id)
        if decider_id not in await _deciders(repo, initiative.id):
            raise NotAnOwnerError(initiative.id)
        if not await repo.initiatives.decide_join_request(
            request_id, accepted=accept, decided_by=decider_id, now=now
        ):
            raise RequestDecidedError(request_id)
        if accept:
            has_owner = await repo.initiatives.owner_count(initiative.id) > 0
            role = MemberRole.EDITOR if has_owner else MemberRole.OWNER
            await repo.initiatives.add_member(initiative.id, request.user_id, role.value, now)
        await outbox.schedule(
            repo,
            key=f"join-answer:{request_id}",
            recipient_id=request.user_id,
            kind="initiative.join_answer",
            params=JoinAnswerParams(initiative_id=initiative.id, accepted=accept),
            due_at=now,
            now=now,
            subject=subject(initiative.id),
        )
    return initiative, request
