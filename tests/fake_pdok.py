"""A local look-alike of PDOK Locatieserver (the `free` and `reverse` search of v3.1) with a
small address book, so the location step is tested without the internet. `down` makes it
answer 503, as when the real one is away."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True, slots=True)
class BookAddress:
    words: tuple[str, ...]  # all of these in the query (lower case, spaces squeezed)
    label: str
    lat: float
    lon: float
    municipality: str
    wijk: str


BOOK: tuple[BookAddress, ...] = (
    BookAddress(("oudegracht 1",), "Oudegracht 1, 3511AA Utrecht", 52.0914, 5.1199, "Utrecht",
                "Wijk 10 Binnenstad"),
    BookAddress(("3511aa",), "Oudegracht 1, 3511AA Utrecht", 52.0914, 5.1199, "Utrecht",
                "Wijk 10 Binnenstad"),
    BookAddress(("zamenhofdreef",), "Zamenhofdreef 1, 3562JT Utrecht", 52.1175, 5.1125,
                "Utrecht", "Wijk 04 Overvecht"),
    BookAddress(("stadsring 1",), "Stadsring 1, 3811HN Amersfoort", 52.1561, 5.3878,
                "Amersfoort", "Wijk 00 Binnenstad"),
    BookAddress(("dam 1",), "Dam 1, 1012JS Amsterdam", 52.3731, 4.8926, "Amsterdam",
                "Wijk 00 Burgwallen-Oude Zijde"),
)  # fmt: skip


def _doc(address: BookAddress) -> dict[str, Any]:
    return {
        "type": "adres",
        "weergavenaam": address.label,
        "centroide_ll": f"POINT({address.lon} {address.lat})",
        "gemeentenaam": address.municipality,
        "wijknaam": address.wijk,
    }


@dataclass
class FakePDOK:
    host: str = "127.0.0.1"
    down: bool = False
    url: str = ""
    asked: list[dict[str, str]] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakePDOK:
        app = web.Application()
        app.router.add_get("/free", self._free)
        app.router.add_get("/reverse", self._reverse)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://{self.host}:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _answer(self, docs: list[dict[str, Any]]) -> web.Response:
        if self.down:
            return web.json_response({"error": "unavailable"}, status=503)
        return web.json_response({"response": {"numFound": len(docs), "start": 0, "docs": docs}})

    async def _free(self, request: web.Request) -> web.Response:
        self.asked.append(dict(request.query))
        query = re.sub(r"\s+", " ", request.query.get("q", "").lower())
        squeezed = query.replace(" ", "")
        found = [
            _doc(a)
            for a in BOOK
            if all(word in query or word.replace(" ", "") in squeezed for word in a.words)
        ]
        return self._answer(found[:1])

    async def _reverse(self, request: web.Request) -> web.Response:
        self.asked.append(dict(request.query))
        lat, lon = float(request.query["lat"]), float(request.query["lon"])

        def metres(a: BookAddress) -> float:
            return math.hypot((a.lat - lat) * 111_200, (a.lon - lon) * 68_500)

        near = sorted((a for a in BOOK if metres(a) < 300), key=metres)
        return self._answer([_doc(near[0])] if near else [])
