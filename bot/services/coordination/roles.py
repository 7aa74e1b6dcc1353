"""Roles: coordinators make someone a facilitator, a coordinator or a resident again.

People in COORDINATOR_IDS always stay coordinators, and the last coordinator cannot be demoted
(the count is taken with the coordinators' rows locked, so two demotions at once cannot both
pass). Every change is written to the audit log and the person is told through the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.services import outbox
from bot.services.coordination import audit
from bot.services.coordination.errors import CoordinationError
from bot.services.message_params import RoleParams
from storage.models import Role, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)

ROLE_WORDS: dict[str, Role] = {
    "resident": Role.RESIDENT,
    "bewoner": Role.RESIDENT,
    "facilitator": Role.FACILITATOR,
    "begeleider": Role.FACILITATOR,
    "dialoogbegeleider": Role.FACILITATOR,
    "coordinator": Role.COORDINATOR,
    "coördinator": Role.COORDINATOR,
}


class RoleError(CoordinationError):
    """A role change that cannot be done; the subclass says why."""


class UnknownRoleError(RoleError):
    pass


class UnknownPersonError(RoleError):
    pass


class ProtectedCoordinatorError(RoleError):
    """The person is in COORDINATOR_IDS: they stay coordinator."""


class LastCoordinatorError(RoleError):
    pass


@dataclass(frozen=True, slots=True)
class RoleChange:
    user: User
    old_role: str
    new_role: str

    @property
    def changed(self) -> bool:
        return self.old_role != self.new_role


def parse_role(word: str) -> Role:
    role = ROLE_WORDS.get(word.strip().lower())
    if role is None:
        raise UnknownRoleError(word)
    return role


async def set_role(
    repo: Repo,
    *,
    actor_id: int,
    target: int | str,
    role: Role,
    coordinator_ids: tuple[int, ...],
    now: datetime,
) -> RoleChange:
    """Give `target` (a Telegram id or @username) `role`."""
    async with repo.write():
        person = await _find(repo, target)
        if person is None:
            raise UnknownPersonError(str(target))
        old_role = person.role
        if old_role == role.value:
            return RoleChange(person, old_role, old_role)
        if old_role == Role.COORDINATOR:
            if person.id in coordinator_ids:
                raise ProtectedCoordinatorError(str(person.id))
            coordinators = await repo.roles.coordinators_locked()
            if len(coordinators) <= 1:
                raise LastCoordinatorError(str(person.id))
        person.role = role
        await audit.record(
            repo,
            actor_id=actor_id,
            action="role.set",
            target=f"user:{person.id}",
            details={"from": old_role, "to": role.value},
            now=now,
        )
        await outbox.schedule(
            repo,
            key=f"role:{person.id}:{role.value}:{int(now.timestamp())}",
            recipient_id=person.id,
            kind="role.changed",
            params=RoleParams(role=role.value),
            due_at=now,
            now=now,
            subject=f"user:{person.id}",
            urgent=True,
        )
    logger.info("role of a user changed from %s to %s", old_role, role.value)
    return RoleChange(person, old_role, role.value)


async def _find(repo: Repo, target: int | str) -> User | None:
    if isinstance(target, int):
        return await repo.users.get(target)
    text = target.strip()
    if text.lstrip("-").isdigit():
        return await repo.users.get(int(text))
    return await repo.users.by_username(text)
