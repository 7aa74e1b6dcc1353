"""Distances and a simple grid for finding initiatives near a point."""

from __future__ import annotations

import math
from array import array

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

    Each point has a slot in flat arrays (its key and position), and a cell lists the slots of
    its points: a few arrays instead of several objects per point."""

    def __init__(self) -> None:
        self._slots: dict[int, int] = {}  # key -> slot
        self._free: list[int] = []
        self._keys = array("q")
        self._lat = array("d")
        self._lon = array("d")
        self._cells: dict[tuple[int, int], array[int]] = {}  # cell -> slots

    def add(self, key: int, lat: float, lon: float) -> None:
        self.remove(key)
        if self._free:
            slot = self._free.pop()
            self._keys[slot], self._lat[slot], self._lon[slot] = key, lat, lon
        else:
            slot = len(self._keys)
            self._keys.append(key)
            self._lat.append(lat)
            self._lon.append(lon)
        self._slots[key] = slot
        self._cells.setdefault(_cell(lat, lon), array("i")).append(slot)

    def remove(self, key: int) -> None:
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        cell = _cell(self._lat[slot], self._lon[slot])
        bucket = self._cells[cell]
        bucket.remove(slot)
        if not bucket:
            del self._cells[cell]
        self._free.append(slot)

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
        slot = self._slots.get(key)
        return None if slot is None else (self._lat[slot], self._lon[slot])

    def __len__(self) -> int:
        return len(self._slots)
