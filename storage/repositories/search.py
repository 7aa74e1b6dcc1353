"""What the search reads: the version of the published initiatives, what changed since a
version, and published initiatives as plain rows or by id. Never commits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Initiative, InitiativeStatus
from storage.models.search import SearchChange, SearchState

_CHUNK = 500
# The columns a search document is made of (what is searched, and what a list of results shows),
# in the order `published_rows` returns them.
DOCUMENT_COLUMNS = (
    Initiative.id,
    Initiative.ref,
    Initiative.name,
    Initiative.description,
    Initiative.themes,
    Initiative.municipality,
    Initiative.neighbourhood,
    Initiative.keywords,
    Initiative.lat,
    Initiative.lon,
    Initiative.last_confirmed_at,
)

# The searched columns of every published initiative, for building the index.
_IS_PUBLISHED = Initiative.status == InitiativeStatus.PUBLISHED
_PUBLISHED_ROWS = select(*DOCUMENT_COLUMNS).where(_IS_PUBLISHED)
# The initiatives from an id on, a batch at a time, with their status: by the primary key
# alone, so each batch reads just its rows (with the status in the WHERE a planner may walk
# every published initiative and sort them, for every batch). Built once.
_BATCH_FROM = (
    select(*DOCUMENT_COLUMNS, Initiative.status)
    .where(Initiative.id > bindparam("after"))
    .order_by(Initiative.id)
    .limit(bindparam("size"))
)
# Asked before every search: built once (composing it cost more than running it).
_VERSION = select(SearchState.version).where(SearchState.id == 1)
# The initiatives of a page of results, on every search: built once, the ids as a parameter.
_PUBLISHED = select(Initiative).where(
    Initiative.id.in_(bindparam("ids", expanding=True)),
    Initiative.status == InitiativeStatus.PUBLISHED,
)


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def version(self) -> int:
        """The current version; 0 before anything was ever published."""
        # A plain column: asked of the connection, without the ORM's work for loading objects.
        connection = await self._session.connection()
        found = await connection.scalar(_VERSION)
        return int(found or 0)

    async def state(self) -> tuple[int, str | None]:
        """The current version and the database's epoch (None before anything was published)."""
        found = (
            await self._session.execute(
                select(SearchState.version, SearchState.epoch).where(SearchState.id == 1)
            )
        ).first()
        return (0, None) if found is None else (int(found[0] or 0), found[1])

    async def changed_since(self, version: int) -> list[tuple[int, int]]:
        """(initiative id, version) of every initiative changed after `version`."""
        result = await self._session.execute(
            select(SearchChange.initiative_id, SearchChange.version).where(
                SearchChange.version > version
            )
        )
        return [(int(ident), int(changed)) for ident, changed in result.all()]

    async def published_count(self) -> int:
        found = await self._session.scalar(select(func.count()).where(_IS_PUBLISHED))
        return int(found or 0)

    async def published_row_batches(self, size: int) -> AsyncIterator[list[tuple[Any, ...]]]:
        """The rows of `published_rows()` in order of id, at most `size` at a time: a large
        collection never lies in memory whole. Each batch is a query of its own (from the last
        id on), so no cursor stays open and it needs no transaction around it."""
        after = 0
        while True:
            result = await self._session.execute(_BATCH_FROM, {"after": after, "size": size})
            rows = result.all()
            published = [tuple(row[:-1]) for row in rows if row[-1] == InitiativeStatus.PUBLISHED]
            if published:
                yield published
            if len(rows) < size:
                return
            after = int(rows[-1][0])

    async def published_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        """The searched columns of published initiatives (all of them, or those of `ids`)."""
        if ids is None:
            result = await self._session.execute(_PUBLISHED_ROWS.order_by(Initiative.id))
            return [tuple(row) for row in result.all()]
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            result = await self._session.execute(_PUBLISHED_ROWS.where(Initiative.id.in_(chunk)))
            rows.extend(tuple(row) for row in result.all())
        return rows

    async def published(self, ids: Sequence[int]) -> dict[int, Initiative]:
        """Published initiatives by id; ids that are gone or not public are left out."""
        found: dict[int, Initiative] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            result = await self._session.execute(_PUBLISHED, {"ids": chunk})
            found.update({initiative.id: initiative for initiative in result.scalars()})
        return found
