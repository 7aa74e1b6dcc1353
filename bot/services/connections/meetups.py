"""Themed meetups from data: once a month, clusters of published initiatives that share a
theme and lie within 10 km of each other (five or more) are proposed to the coordinators with
the list prefilled; one tap creates the meetup as a draft, hosted by the initiative at the
heart of the cluster, and invites the members of every initiative in it."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from bot.catalog.themes import THEME_SLUGS, THEMES
from bot.search.geo import haversine_km
from bot.services import outbox
from bot.services.connections.errors import ConnectionsError
from bot.services.coordination import audit
from bot.services.coordination.alerts import alert_coordinators
from bot.services.events.admin import EventDraft, create_event
from bot.services.events.messages import event_subject_prefix
from bot.services.message_params import ProposalListParams, ProposalParams, TableParams
from storage.models import Event, EventKind, EventStatus, Initiative, MeetupProposal, ProposalStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)

RADIUS_KM = 10
MIN_SIZE = 5
MAX_INVITED = 15  # the closest initiatives of a large cluster
WEEKS_AHEAD = 4
INVITE_DELAY = timedelta(days=2)  # time to adjust the draft before the invitations go out
PROPOSAL = "meetup.proposal"
PROPOSALS = "meetup.proposals"  # several of one run, as one list
INVITE = "meetup.invite"


@dataclass(frozen=True, slots=True)
class CreatedMeetup:
    event: Event
    invited: int  # people who will get the invitation
    unreachable: list[str]  # initiatives nobody uses Samenspel for: the coordinator tells them


class ProposalGoneError(ConnectionsError):
    """The proposal does not exist or a coordinator decided on it already."""


@dataclass(frozen=True, slots=True)
class Point:
    id: int
    lat: float
    lon: float
    municipality: str


@dataclass(frozen=True, slots=True)
class Cluster:
    theme: str
    center: Point
    member_ids: tuple[int, ...]  # the centre first, then by distance


def _cell(point: Point) -> tuple[int, int]:
    # About 10 km cells: neighbours within the radius are in the 3×3 cells around.
    lat_step = RADIUS_KM / 111.0
    lon_step = RADIUS_KM / (111.0 * max(math.cos(math.radians(point.lat)), 0.1))
    return math.floor(point.lat / lat_step), math.floor(point.lon / lon_step)


def _neighbours(points: list[Point]) -> dict[int, list[tuple[float, int]]]:
    grid: dict[tuple[int, int], list[Point]] = {}
    for point in points:
        grid.setdefault(_cell(point), []).append(point)
    found: dict[int, list[tuple[float, int]]] = {}
    for point in points:
        row, col = _cell(point)
        near = []
        for d_row in (-1, 0, 1):
            for d_col in (-1, 0, 1):
                for other in grid.get((row + d_row, col + d_col), []):
                    distance = haversine_km(point.lat, point.lon, other.lat, other.lon)
                    if distance <= RADIUS_KM:
                        near.append((distance, other.id))
        found[point.id] = sorted(near)
    return found


def find_clusters(initiatives: list[Initiative]) -> list[Cluster]:
    """Per theme, greedily: the initiative with the most others within the radius becomes a
    centre, its neighbours its cluster; repeat with the rest. Clusters below five are dropped."""
    clusters = []
    for theme in THEME_SLUGS:
        points = {
            i.id: Point(i.id, float(i.lat or 0), float(i.lon or 0), i.municipality or "")
            for i in initiatives
            if theme in (i.themes or []) and i.lat is not None and i.lon is not None
        }
        if len(points) < MIN_SIZE:
            continue
        near = _neighbours(list(points.values()))
        left = set(points)
        while True:
            best: tuple[int, int] | None = None
            for ident in sorted(left):
                count = sum(1 for _d, other in near[ident] if other in left)
                if best is None or count > best[0]:
                    best = (count, ident)
            if best is None or best[0] < MIN_SIZE:
                break
            center = best[1]
            members = tuple(other for _d, other in near[center] if other in left)
            members = (center, *(m for m in members if m != center))[:MAX_INVITED]
            clusters.append(Cluster(theme, points[center], members))
            left -= {other for _d, other in near[center]}
    return clusters


async def propose_meetups(
    repo: Repo, *, now: datetime, tz: tzinfo, coordinator_chat_id: int | None = None
) -> int:
    """Store this month's new proposals and alert the coordinators: one proposal as itself,
    several as one message with a list. Returns how many are new."""
    async with repo.write():
        month = now.astimezone(tz).strftime("%Y-%m")
        new: list[int] = []
        for cluster in find_clusters(list(await repo.knowledge.published_with_theme_and_place())):
            proposal = await repo.knowledge.add_proposal(
                MeetupProposal(
                    month=month,
                    theme=cluster.theme,
                    center_id=cluster.center.id,
                    municipality=cluster.center.municipality,
                    lat=cluster.center.lat,
                    lon=cluster.center.lon,
                    initiative_ids=list(cluster.member_ids),
                    status=ProposalStatus.PROPOSED,
                    created_at=now,
                )
            )
            if proposal is not None:
                new.append(proposal.id)
        if len(new) == 1:
            await alert_coordinators(
                repo,
                key=f"meetup-proposal:{new[0]}",
                kind=PROPOSAL,
                params=ProposalParams(proposal_id=new[0]),
                now=now,
                coordinator_chat_id=coordinator_chat_id,
            )
        elif new:
            await alert_coordinators(
                repo,
                key=f"meetup-proposals:{new[0]}-{new[-1]}",
                kind=PROPOSALS,
                params=ProposalListParams(proposal_ids=new),
                now=now,
                coordinator_chat_id=coordinator_chat_id,
            )
    logger.info("meetup proposals: %s new", len(new))
    return len(new)


async def open_proposals(repo: Repo, ids: list[int]) -> list[MeetupProposal]:
    """Those of these proposals nobody decided on yet, in the given order."""
    found = {proposal.id: proposal for proposal in await repo.knowledge.proposals(ids)}
    return [found[i] for i in ids if i in found and found[i].status == ProposalStatus.PROPOSED]


async def proposal_with_initiatives(
    repo: Repo, proposal_id: int
) -> tuple[MeetupProposal, list[Initiative]]:
    """A proposal nobody decided on yet, and its initiatives (else ProposalGoneError)."""
    async with repo.read():
        proposal = await repo.knowledge.proposal(proposal_id)
        if proposal is None or proposal.status != ProposalStatus.PROPOSED:
            raise ProposalGoneError(proposal_id)
        return proposal, await repo.knowledge.initiatives(list(proposal.initiative_ids))


def meetup_start(now: datetime, tz: tzinfo) -> datetime:
    """A Tuesday evening (19:30 local) at least four weeks ahead."""
    day = (now.astimezone(tz) + timedelta(weeks=WEEKS_AHEAD)).date()
    day += timedelta(days=(1 - day.weekday()) % 7)
    return datetime.combine(day, time(19, 30), tzinfo=tz).astimezone(now.tzinfo)


async def create_meetup(
    repo: Repo, proposal_id: int, coordinator_id: int, *, now: datetime, tz: tzinfo
) -> CreatedMeetup:
    """One tap: the draft meetup, and invitations to the members of the clustered initiatives
    (sent after INVITE_DELAY, with the details as they are then); says which initiatives
    nobody can be invited for (imported ones without members)."""
    async with repo.write():
        proposal = await repo.knowledge.proposal(proposal_id, for_update=True)
        if proposal is None or proposal.status != ProposalStatus.PROPOSED:
            raise ProposalGoneError(proposal_id)
        proposal.status, proposal.decided_by = ProposalStatus.CREATED, coordinator_id
        await audit.record(
            repo,
            actor_id=coordinator_id,
            action="meetup.create",
            target=f"proposal:{proposal_id}",
            now=now,
        )
        ids = list(proposal.initiative_ids)
        host = await repo.initiatives.get(proposal.center_id) if proposal.center_id else None
        theme = THEMES[proposal.theme].nl if proposal.theme in THEMES else proposal.theme
    starts_at = meetup_start(now, tz)
    draft = EventDraft(
        kind=EventKind.MEETUP,
        title=f"Themabijeenkomst {theme} – {proposal.municipality}".strip(" –"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        venue=host.name if host is not None else proposal.municipality,
        address=(host.address or "") if host is not None else "",
        municipality=proposal.municipality,
        capacity=max(2 * len(ids), 10),
        theme=proposal.theme,
        description=f"Initiatieven rond {theme.lower()} uit de buurt ontmoeten elkaar.",
        host_initiative_id=host.id if host is not None else None,
        latitude=proposal.lat,
        longitude=proposal.lon,
    )
    try:
        event = await create_event(repo, draft, created_by=coordinator_id, now=now, publish=False)
    except Exception:
        async with repo.write():
            again = await repo.knowledge.proposal(proposal_id, for_update=True)
            if again is not None:
                again.status = ProposalStatus.PROPOSED
        raise
    async with repo.write():
        proposal = await repo.knowledge.proposal(proposal_id, for_update=True)
        assert proposal is not None
        proposal.event_id = event.id
        members = await repo.initiatives.member_ids(ids)
        invited = sorted({user_id for users in members.values() for user_id in users})
        nobody = [i for i in ids if not members.get(i)]
        unreachable = [found.name for found in await repo.knowledge.initiatives(nobody)]
        for user_id in invited:
            await outbox.schedule(
                repo,
                key=f"meetup:{proposal_id}:invite:{user_id}",
                recipient_id=user_id,
                kind=INVITE,
                params=TableParams(event_id=event.id),
                due_at=now + INVITE_DELAY,
                now=now,
                subject=f"{event_subject_prefix(event.id)}meetup-invite",
            )
    logger.info(
        "meetup %s created from proposal %s, %s invited", event.id, proposal_id, len(invited)
    )
    return CreatedMeetup(event, len(invited), unreachable)


async def dismiss(repo: Repo, proposal_id: int, coordinator_id: int, *, now: datetime) -> None:
    async with repo.write():
        proposal = await repo.knowledge.proposal(proposal_id, for_update=True)
        if proposal is None or proposal.status != ProposalStatus.PROPOSED:
            raise ProposalGoneError(proposal_id)
        proposal.status, proposal.decided_by = ProposalStatus.DISMISSED, coordinator_id
        await audit.record(
            repo,
            actor_id=coordinator_id,
            action="meetup.dismiss",
            target=f"proposal:{proposal_id}",
            now=now,
        )


async def publish_meetup(
    repo: Repo, proposal_id: int, *, actor_id: int | None, now: datetime
) -> Event:
    """Publish the draft made from a proposal; its invitations go out now instead of later."""
    async with repo.write():
        proposal = await repo.knowledge.proposal(proposal_id)
        event = (
            await repo.events.lock(proposal.event_id) if proposal and proposal.event_id else None
        )
        if (
            proposal is None
            or event is None
            or event.status
            not in (
                EventStatus.DRAFT,
                EventStatus.PUBLISHED,
            )
        ):
            raise ProposalGoneError(proposal_id)
        if event.status == EventStatus.DRAFT:
            event.status = EventStatus.PUBLISHED
            event.published_at = now
            event.updated_at = now
            members = await repo.initiatives.member_ids(list(proposal.initiative_ids))
            for user_id in sorted({user for users in members.values() for user in users}):
                await outbox.reschedule(
                    repo, f"meetup:{proposal_id}:invite:{user_id}", now, now=now
                )
            await audit.record(
                repo,
                actor_id=actor_id,
                action="event.publish",
                target=f"event:{event.id}",
                details={"proposal": proposal_id},
                now=now,
            )
    return event
