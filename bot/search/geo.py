"""Distances and a simple grid for finding initiatives near a point."""

from __future__ import annotations

import math
from collections import defaultdict

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
    """Points bucketed in cells of a fixed size, for radius queries."""

    def __init__(self) -> None:
        self._cells: defaultdict[tuple[int, int], dict[int, tuple[float, float]]] = defaultdict(
            dict
        )
        self._where: dict[int, tuple[int, int]] = {}

    def add(self, key: int, lat: float, lon: float) -> None:
        self.remove(key)
        cell = _cell(lat, lon)
        self._cells[cell][key] = (lat, lon)
        self._where[key] = cell

    def remove(self, key: int) -> None:
        cell = self._where.pop(key, None)
        if cell is None:
            return
        bucket = self._cells[cell]
        bucket.pop(key, None)
        if not bucket:
            del self._cells[cell]

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
        for bucket in buckets:
            for key, (plat, plon) in bucket.items():
                dy = (plat - lat) * ky
                dx = (plon - lon) * kx
                squared = dx * dx + dy * dy
                if squared <= limit:
                    found.append((key, math.sqrt(squared)))
        found.sort(key=lambda item: (item[1], item[0]))
        return found

    def position(self, key: int) -> tuple[float, float] | None:
        cell = self._where.get(key)
        return None if cell is None else self._cells[cell][key]

    def __len__(self) -> int:
        return len(self._where)
