"""The map's data: published initiatives and upcoming published events as GeoJSON features with
exactly the fields their public cards show. A place without coordinates is shown at its
municipality's centre, marked approximate. Searches use the bot's own search engine, so the
map finds what /zoek finds, in the same order.

Initiatives are built once per state of the data (`MapData` keeps them until anything changes)
and filtered per request; events are few and change with the clock, so they are read each time.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.catalog.municipalities import BY_NAME
from bot.services.search.index_sync import SearchIndexHolder
from bot.text import fold
from storage.repositories import Repo

DESCRIPTION_LENGTH = 200  # a card's summary on the map; the chat has the whole text
CACHED_RESPONSES = 64  # per state of the data: the unfiltered map and recent filters
SEARCH_LIMIT = 500
_PRECISION = 5  # decimals of a coordinate: about a metre


@dataclass(frozen=True, slots=True)
class MapFilter:
    theme: str = ""
    municipality: str = ""
    query: str = ""
    kind: str = ""  # events: table, training or meetup


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"


def _position(
    lat: float | None, lon: float | None, municipality: str | None
) -> tuple[float, float, bool] | None:
    """(lat, lon, approximate): the own coordinates, else the municipality's centre."""
    if lat is not None and lon is not None:
        return round(lat, _PRECISION), round(lon, _PRECISION), False
    centre = BY_NAME.get(municipality or "")
    if centre is None:
        return None
    return centre.lat, centre.lon, True


def _feature(lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def initiative_feature(row: Any, bot_username: str) -> dict[str, Any] | None:
    """An initiative's public card as a feature; None when it has no place at all."""
    position = _position(row.lat, row.lon, row.municipality)
    if position is None:
        return None
    lat, lon, approximate = position
    properties = {
        "id": row.id,
        "type": "initiative",
        "name": row.name,
        "description": _short(row.description),
        "themes": list(row.themes or []),
        "municipality": row.municipality or "",
        "neighbourhood": row.neighbourhood or "",
        "website": row.website or "",
        "email": row.email or "",
        "phone": row.phone or "",
        "telegram": row.telegram or "",
        "approximate": approximate,
        "link": f"https://t.me/{bot_username}?start=i_{row.id}" if bot_username else "",
    }
    return _feature(lat, lon, properties)


def event_feature(row: Any, taken: int, now: datetime, bot_username: str) -> dict[str, Any] | None:
    """An upcoming event's public card as a feature, with the seats left."""
    position = _position(row.latitude, row.longitude, row.municipality)
    if position is None:
        return None
    lat, lon, approximate = position
    deadline = row.registration_deadline or row.starts_at
    properties = {
        "id": row.id,
        "type": "event",
        "kind": str(row.kind),
        "title": row.title,
        "description": _short(row.description),
        "theme": row.theme or "",
        "level": row.level or "",
        "starts_at": row.starts_at.isoformat(),
        "ends_at": row.ends_at.isoformat(),
        "venue": row.venue,
        "address": row.address or "",
        "municipality": row.municipality,
        "capacity": row.capacity,
        "seats_left": max(row.capacity - taken, 0),
        "open_for_signup": now < deadline,
        "approximate": approximate,
        "link": f"https://t.me/{bot_username}?start=e_{row.id}" if bot_username else "",
    }
    return _feature(lat, lon, properties)


def collection(features: list[dict[str, Any]]) -> bytes:
    """A compact GeoJSON FeatureCollection."""
    body = {"type": "FeatureCollection", "features": features}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class Payload:
    """A response body with its ETag, and its gzip form made once when first asked for."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        self._gzipped: bytes | None = None

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6)
        return self._gzipped


class MapData:
    """The initiatives' features of the current state of the data, kept until it changes."""

    def __init__(self, search_index: SearchIndexHolder, bot_username: str = "") -> None:
        self.search_index = search_index
        self.bot_username = bot_username
        self._version: tuple[int, datetime | None] | None = None
        self._features: list[dict[str, Any]] = []
        self._payloads: OrderedDict[MapFilter, Payload] = OrderedDict()
        self._lock = asyncio.Lock()

    async def _initiatives(self, repo: Repo) -> list[dict[str, Any]]:
        async with self._lock, repo.read():
            version = await repo.map.initiatives_version()
            if version != self._version:
                rows = await repo.map.initiatives()
                built = (initiative_feature(row, self.bot_username) for row in rows)
                self._features = [feature for feature in built if feature is not None]
                self._payloads.clear()
                self._version = version
        return self._features

    async def initiatives_payload(self, repo: Repo, where: MapFilter) -> Payload:
        """The initiatives under the filters as a response body, kept while the data stays
        the same (a search also depends on the search index, which follows the same data)."""
        await self._initiatives(repo)  # a change of the data empties the cache
        cached = self._payloads.get(where)
        if cached is None:
            features = await self.initiatives(repo, where)
            cached = self._payloads[where] = Payload(collection(features))
            while len(self._payloads) > CACHED_RESPONSES:
                self._payloads.popitem(last=False)
        else:
            self._payloads.move_to_end(where)
        return cached

    async def initiatives(self, repo: Repo, where: MapFilter) -> list[dict[str, Any]]:
        """Published initiatives under the filters; with a search, in the search's order."""
        features = await self._initiatives(repo)
        theme, place = where.theme, fold(where.municipality) if where.municipality else ""

        def fits(properties: dict[str, Any]) -> bool:
            return (not theme or theme in properties["themes"]) and (
                not place or fold(properties["municipality"]) == place
            )

        if not where.query.strip():
            return [f for f in features if fits(f["properties"])]
        found = await self.search_index.ask(
            repo, lambda index: index.search(where.query, limit=SEARCH_LIMIT)
        )
        hits = found.hits
        by_id = {f["properties"]["id"]: f for f in features}
        ranked = [by_id[hit.id] for hit in hits if hit.id in by_id]
        return [f for f in ranked if fits(f["properties"])]

    async def events(self, repo: Repo, where: MapFilter, now: datetime) -> list[dict[str, Any]]:
        """Upcoming published events under the filters, soonest first."""
        async with repo.read():
            rows = await repo.map.events(now)
        place = fold(where.municipality) if where.municipality else ""
        query = fold(where.query.strip()) if where.query.strip() else ""
        features = []
        for row, taken in rows:
            if where.theme and row.theme != where.theme:
                continue
            if where.kind and str(row.kind) != where.kind:
                continue
            if place and fold(row.municipality) != place:
                continue
            if query and query not in fold(f"{row.title} {row.venue} {row.municipality}"):
                continue
            feature = event_feature(row, taken, now, self.bot_username)
            if feature is not None:
                features.append(feature)
        return features
