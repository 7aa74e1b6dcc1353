"""Distances and a simple grid for finding initiatives near a point."""

from __future__ import annotations

import math
from array import array

from bot.search.slots import Slots

EARTH_RADIUS_KM = 6371.0088
_CELL_DEGREES = 0.05  # about 5.5 km north-south, 3.4 km east-west at this latitude


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES))


class GeoGrid:
    """Points bucketed in cells of a fixed size, for radius queries.

    A point's key and position sit at the key's slot in flat arrays (see `bot.search.slots`;
    the slots are kept by the owner), and a cell lists the slots of its points: a few arrays
    instead of several objects per point. A slot without a point holds NaN."""

    def __init__(self, slots: Slots) -> None:
        self._slots = slots
        self._keys = array("q")
        self._lat = array("d")
        self._lon = array("d")
        self._cells: dict[tuple[int, int], array[int]] = {}  # cell -> slots
        self._size = 0

    def add(self, key: int, lat: float, lon: float) -> None:
        self.remove(key)
        slot = self._slots[key]
        missing = slot + 1 - len(self._keys)
        if missing > 0:
            self._keys.extend(array("q", bytes(8 * missing)))
            self._lat.extend(array("d", [math.nan]) * missing)
            self._lon.extend(array("d", [math.nan]) * missing)
        self._keys[slot], self._lat[slot], self._lon[slot] = key, lat, lon
        self._cells.setdefault(_cell(lat, lon), array("i")).append(slot)
        self._size += 1

    def remove(self, key: int) -> None:
        slot = self._placed(key)
        if slot is None:
            return
        cell = _cell(self._lat[slot], self._lon[slot])
        bucket = self._cells[cell]
        bucket.remove(slot)
        if not bucket:
            del self._cells[cell]
        self._lat[slot] = self._lon[slot] = math.nan
        self._size -= 1

    def within(self, lat: float, lon: float, max_km: float) -> list[tuple[int, float]]:
        """Keys within ``max_km`` of the point, nearest first, with their (approximate) distance."""
        lat_span = max_km / 111.0
        lon_span = max_km / (111.320 * max(0.1, math.cos(math.radians(lat))))
        low = _cell(lat - lat_span, lon - lon_span)
        high = _cell(lat + lat_span, lon + lon_span)
        found: list[tuple[int, float]] = []
        if (high[0] - low[0] + 1) * (high[1] - low[1] + 1) > 4 * len(self._cells) + 16:
            buckets = list(self._cells.values())
        else:
            buckets = [
                self._cells[(row, col)]
                for row in range(low[0], high[0] + 1)
                for col in range(low[1], high[1] + 1)
                if (row, col) in self._cells
            ]
        # A flat-earth distance is accurate to well under 1% over these distances.
        ky = math.pi * EARTH_RADIUS_KM / 180.0
        kx = ky * math.cos(math.radians(lat))
        limit = max_km * max_km
        keys, lats, lons = self._keys, self._lat, self._lon
        for bucket in buckets:
            for slot in bucket:
                dy = (lats[slot] - lat) * ky
                dx = (lons[slot] - lon) * kx
                squared = dx * dx + dy * dy
                if squared <= limit:
                    found.append((keys[slot], math.sqrt(squared)))
        found.sort(key=lambda item: (item[1], item[0]))
        return found

    def position(self, key: int) -> tuple[float, float] | None:
        slot = self._placed(key)
        return None if slot is None else (self._lat[slot], self._lon[slot])

    def _placed(self, key: int) -> int | None:
        """The key's slot when a point is there."""
        slot = self._slots.get(key)
        if slot is None or slot >= len(self._lat) or math.isnan(self._lat[slot]):
            return None
        return slot

    def __len__(self) -> int:
        return self._size
