"""Who a broadcast reaches: each segment, combinations (a union, nobody twice), and never
people who opted out or blocked the bot."""

from __future__ import annotations

from typing import Any

import pytest

from bot.services.coordination import audience as broadcast_audience
from bot.services.coordination.audience import BadAudienceError
from storage.repositories import Repo
from tests.coordination_support import add_event, add_initiative, add_user, certify, register

RESIDENT, FACILITATOR, COORDINATOR, MEMBER, GUEST, WAITING, STOPPED, BLOCKED, AMERSFOORT = range(
    101, 110
)


@pytest.fixture
async def network(repo: Repo) -> dict[str, int]:
    for user_id in (RESIDENT, MEMBER, GUEST, WAITING, AMERSFOORT):
        await add_user(repo, user_id)
    await add_user(repo, FACILITATOR, role="facilitator")
    await add_user(repo, COORDINATOR, role="coordinator")
    await add_user(repo, STOPPED, stopped=True)
    await add_user(repo, BLOCKED, reachable=False)
    await certify(repo, FACILITATOR, "basis")
    await certify(repo, COORDINATOR, "kinder")
    await certify(repo, RESIDENT, "basis")  # a certificate, but not (yet) a facilitator
    await add_initiative(repo, [MEMBER, STOPPED], themes=["ouderen", "wonen"])
    await add_initiative(
        repo, [BLOCKED], name="Moestuin", themes=["natuur-en-groen"], municipality="Amersfoort"
    )
    table = await add_event(repo, theme="eenzaamheid", municipality="Utrecht")
    other = await add_event(repo, theme="taal", municipality="Amersfoort", title="Taalcafé")
    await register(repo, table.id, GUEST)
    await register(repo, table.id, STOPPED)
    await register(repo, table.id, WAITING, "waitlisted", position=1)
    await register(repo, other.id, AMERSFOORT)
    await register(repo, other.id, RESIDENT, "cancelled")
    return {"table": table.id, "other": other.id}


async def _ids(repo: Repo, spec: dict[str, Any]) -> list[int]:
    found = await repo.broadcasts.audience_ids(spec)
    await repo.session.commit()
    return found


async def test_everyone_is_everyone_reachable_who_did_not_opt_out(
    repo: Repo, network: dict[str, int]
) -> None:
    assert await _ids(repo, {"everyone": True}) == [
        RESIDENT,
        FACILITATOR,
        COORDINATOR,
        MEMBER,
        GUEST,
        WAITING,
        AMERSFOORT,
    ]


async def test_facilitators_include_coordinators_and_can_need_a_certificate(
    repo: Repo, network: dict[str, int]
) -> None:
    assert await _ids(repo, {"facilitators": True}) == [FACILITATOR, COORDINATOR]
    assert await _ids(repo, {"certificates": ["basis"]}) == [FACILITATOR]
    assert await _ids(repo, {"certificates": ["basis", "kinder"]}) == [FACILITATOR, COORDINATOR]
    assert await _ids(repo, {"certificates": ["spannend"]}) == []


async def test_initiative_members_without_those_who_stopped_or_blocked(
    repo: Repo, network: dict[str, int]
) -> None:
    assert await _ids(repo, {"members": True}) == [MEMBER]


async def test_theme_reaches_members_and_participants_of_that_theme(
    repo: Repo, network: dict[str, int]
) -> None:
    assert await _ids(repo, {"themes": ["ouderen"]}) == [MEMBER]
    assert await _ids(repo, {"themes": ["eenzaamheid"]}) == [GUEST, WAITING]
    assert await _ids(repo, {"themes": ["taal"]}) == [AMERSFOORT]  # not the one who cancelled


async def test_municipality_reaches_members_and_participants_there(
    repo: Repo, network: dict[str, int]
) -> None:
    assert await _ids(repo, {"municipalities": ["Amersfoort"]}) == [AMERSFOORT]
    assert await _ids(repo, {"municipalities": ["Utrecht"]}) == [MEMBER, GUEST, WAITING]


async def test_participants_and_waitlist_of_an_event(repo: Repo, network: dict[str, int]) -> None:
    assert await _ids(repo, {"events": [network["table"]]}) == [GUEST]
    assert await _ids(repo, {"waitlists": [network["table"]]}) == [WAITING]


async def test_combinations_are_a_union_without_doubles(
    repo: Repo, network: dict[str, int]
) -> None:
    spec = {
        "facilitators": True,
        "members": True,
        "events": [network["table"], network["other"]],
        "themes": ["ouderen"],
    }
    assert await _ids(repo, spec) == [FACILITATOR, COORDINATOR, MEMBER, GUEST, AMERSFOORT]


async def test_empty_spec_reaches_nobody(repo: Repo, network: dict[str, int]) -> None:
    assert await _ids(repo, {}) == []


def test_toggling_segments_and_refusing_forged_values() -> None:
    spec = broadcast_audience.toggle({}, "members")
    spec = broadcast_audience.toggle(spec, "themes", "ouderen")
    spec = broadcast_audience.toggle(spec, "municipalities", "De Bilt")
    assert spec == {"members": True, "themes": ["ouderen"], "municipalities": ["De Bilt"]}
    spec = broadcast_audience.toggle(spec, "themes", "ouderen")
    assert spec == {"members": True, "municipalities": ["De Bilt"]}
    for segment, value in (
        ("themes", "bestaat-niet"),
        ("municipalities", "Parijs"),
        ("certificates", "expert"),
        ("events", "x"),
        ("nope", ""),
    ):
        with pytest.raises(BadAudienceError):
            broadcast_audience.toggle(spec, segment, value)
