"""Addresses and pins through PDOK Locatieserver, the Dutch government's free address lookup:
a typed address or postcode becomes a pin with its municipality and neighbourhood, and a pin
becomes the nearest address, so people see "Oudegracht 1, Utrecht" instead of two numbers.

The server can be away; callers get `GeocoderUnavailableError` and decide what to do (the
location step then uses the municipality's centre and says so).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

_FIELDS = "weergavenaam,centroide_ll,gemeentenaam,wijknaam,buurtnaam,woonplaatsnaam,type"
_POINT = re.compile(r"POINT\(\s*([-\d.]+)\s+([-\d.]+)\s*\)")
# Look-ups a person can mean by a place to meet: an address, a postcode, a street.
_TYPES = "type:(adres OR postcode OR weg)"


class GeocoderUnavailableError(Exception):
    """The address lookup did not answer (in time)."""


@dataclass(frozen=True, slots=True)
class Address:
    label: str  # "Oudegracht 1, 3511AA Utrecht"
    lat: float
    lon: float
    municipality: str | None
    neighbourhood: str | None  # the CBS wijk name, when the lookup knows it


def _address(doc: dict[str, Any]) -> Address | None:
    point = _POINT.match(str(doc.get("centroide_ll") or ""))
    if point is None:
        return None
    lon, lat = float(point.group(1)), float(point.group(2))
    wijk = doc.get("wijknaam")
    if isinstance(wijk, str):
        wijk = re.sub(r"^Wijk \d+\s+", "", wijk).strip() or None  # "Wijk 10 Binnenstad"
    return Address(
        label=str(doc.get("weergavenaam") or ""),
        lat=lat,
        lon=lon,
        municipality=doc.get("gemeentenaam") or None,
        neighbourhood=wijk if isinstance(wijk, str) else None,
    )


class Geocoder:
    def __init__(self, base_url: str, *, timeout_seconds: float = 4.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def _first(self, path: str, params: dict[str, str]) -> Address | None:
        try:
            async with (
                aiohttp.ClientSession(timeout=self.timeout) as session,
                session.get(f"{self.base_url}/{path}", params=params) as response,
            ):
                if response.status != 200:
                    raise GeocoderUnavailableError(f"status {response.status}")
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("address lookup unavailable: %s", type(exc).__name__)
            raise GeocoderUnavailableError(str(exc)) from exc
        docs = (body.get("response") or {}).get("docs") or [] if isinstance(body, dict) else []
        for doc in docs:
            found = _address(doc) if isinstance(doc, dict) else None
            if found is not None:
                return found
        return None

    async def search(self, text: str) -> Address | None:
        """The best address, postcode or street for what was typed; None when nothing fits."""
        query = " ".join(text.split())[:200]
        return await self._first("free", {"q": query, "fq": _TYPES, "rows": "1", "fl": _FIELDS})

    async def reverse(self, lat: float, lon: float) -> Address | None:
        """The address nearest to a pin."""
        return await self._first(
            "reverse",
            {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "type": "adres", "rows": "1", "fl": _FIELDS},
        )
