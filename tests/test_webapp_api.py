"""The map's server side: the GeoJSON feeds carry exactly the public card fields of published
initiatives and upcoming events, filters and search agree with /zoek, responses have ETags and
gzip, and personal actions need Telegram's valid, fresh signature."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from aiogram import Bot
from aiogram.methods import GetMe
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.services.events.admin import cancel_event
from bot.services.events.registrations import sign_up
from bot.services.search.discover import search
from bot.services.search.index_sync import SearchIndexHolder
from storage.engine import SessionPool
from storage.models import InitiativeStatus
from storage.repositories import Repo
from tests.event_helpers import make_event, make_people
from tests.factories import make_user
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI
from webapp.routes import WebappContext, add_webapp

TOKEN = "123456:" + "A" * 35
PUBLIC_INITIATIVE_FIELDS = {
    "id", "type", "name", "description", "themes", "municipality", "neighbourhood", "website",
    "email", "phone", "telegram", "approximate", "link",
}  # fmt: skip


@pytest.fixture
async def client(
    settings: Settings,
    session_pool: SessionPool,
    clock: FakeClock,
    i18n: CatalogI18n,
    bot: Bot,
    bot_api: MockedBotAPI,
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    signed = settings.model_copy(update={"bot_token": SecretStr(TOKEN)})
    web_app = web.Application()
    add_webapp(web_app, WebappContext(signed, session_pool, clock, i18n, bot), SearchIndexHolder())
    async with TestClient(TestServer(web_app)) as test_client:
        bot_api.take(GetMe)  # the page learns the bot's name for its links to the chat
        yield test_client


async def _features(client: TestClient[Any, Any], path: str, **query: str) -> list[dict[str, Any]]:
    response = await client.get(f"/webapp/api/{path}" + (f"?{urlencode(query)}" if query else ""))
    assert response.status == 200
    assert response.content_type == "application/geo+json"
    body = await response.json(content_type=None)
    assert body["type"] == "FeatureCollection"
    return list(body["features"])


async def _seed(repo: Repo, clock: FakeClock) -> dict[str, int]:
    owner = make_user(first_name="Owner", language_code="nl")
    await add_person(repo, owner, clock.now())
    now = clock.now()
    ids = {}
    ids["garden"] = (
        await add_initiative(
            repo,
            now,
            name="Buurtmoestuin Zuilen",
            themes=["natuur-en-groen", "voedsel"],
            description="Samen groente kweken in Zuilen.",
            keywords=["moestuin"],
            website="https://moestuin.example",
            email="tuin@example.org",
            owners=(owner.id,),
            address="Geheime Tuinstraat 1",
        )
    ).id
    ids["repair"] = (await add_initiative(repo, now, municipality="Zeist", lat=52.09, lon=5.23)).id
    ids["nowhere"] = (
        await add_initiative(
            repo,
            now,
            name="Buren helpen buren Houten",
            themes=["ouderen"],
            municipality="Houten",
            lat=None,
            lon=None,
        )
    ).id
    ids["draft"] = (
        await add_initiative(
            repo, now, name="Nog niet klaar", status=InitiativeStatus.DRAFT, email="x@example.org"
        )
    ).id
    ids["hidden"] = (
        await add_initiative(repo, now, name="Verborgen club", status=InitiativeStatus.HIDDEN)
    ).id
    return ids  # fmt: skip


async def test_only_published_initiatives_with_exactly_their_public_fields(
    client: TestClient[Any, Any], repo: Repo, clock: FakeClock
) -> None:
    ids = await _seed(repo, clock)
    features = await _features(client, "initiatives.geojson")
    assert sorted(f["properties"]["id"] for f in features) == sorted(
        [ids["garden"], ids["repair"], ids["nowhere"]]
    )
    for feature in features:
        assert set(feature["properties"]) == PUBLIC_INITIATIVE_FIELDS
        assert feature["geometry"]["type"] == "Point"
    garden = next(f for f in features if f["properties"]["id"] == ids["garden"])
    assert (
        garden["properties"]["link"] == f"https://t.me/samenspel_test_bot?start=i_{ids['garden']}"
    )
    assert garden["properties"]["email"] == "tuin@example.org"  # published on the card
    text = json.dumps(features)
    for private in ("Geheime Tuinstraat", "x@example.org", "Nog niet klaar", "Verborgen club"):
        assert private not in text  # no address, no unpublished or hidden profile
    assert "Owner" not in text  # never members
    # Without a place of its own: at its municipality's centre, marked approximate.
    houten = next(f for f in features if f["properties"]["id"] == ids["nowhere"])
    assert houten["properties"]["approximate"] is True
    assert houten["geometry"]["coordinates"] == pytest.approx([5.17, 52.03], abs=0.05)
    assert garden["properties"]["approximate"] is False


async def test_filters_and_search_agree_with_the_bots_search(
    client: TestClient[Any, Any], repo: Repo, clock: FakeClock
) -> None:
    ids = await _seed(repo, clock)
    by_theme = await _features(client, "initiatives.geojson", theme="voedsel")
    assert [f["properties"]["id"] for f in by_theme] == [ids["garden"]]
    by_place = await _features(client, "initiatives.geojson", municipality="zeist")
    assert [f["properties"]["id"] for f in by_place] == [ids["repair"]]
    for query in ("moestuinn", "buurtmoestuin", "repareren", "vegetable garden"):
        found = await _features(client, "initiatives.geojson", q=query)
        holder = SearchIndexHolder()
        expected = await search(repo, holder, query, size=50)
        assert [f["properties"]["id"] for f in found] == [i.id for i in expected.items], query
    typo = await _features(client, "initiatives.geojson", q="moestuinn")
    assert [f["properties"]["id"] for f in typo] == [ids["garden"]]
    assert await _features(client, "initiatives.geojson", q="zwembad") == []


async def test_events_feed_has_upcoming_published_events_with_seats_left(
    client: TestClient[Any, Any], repo: Repo, clock: FakeClock
) -> None:
    table = await make_event(repo, clock, capacity=3)
    training = await make_event(repo, clock, kind="training", level="basis", title="Basis")
    past = await make_event(repo, clock, starts_at=clock.now() + timedelta(hours=1), title="Straks")
    called_off = await make_event(repo, clock, title="Gaat niet door")
    await cancel_event(repo, called_off.id, actor_id=None, now=clock.now())
    people = await make_people(repo, clock, 2, 5000)

    for person in people:
        await sign_up(repo, table.id, person, now=clock.now())
    clock.advance(timedelta(hours=2))  # "Straks" has begun
    features = await _features(client, "events.geojson")
    assert [f["properties"]["id"] for f in features] == [table.id, training.id]
    assert past.id not in [f["properties"]["id"] for f in features]
    first = features[0]["properties"]
    assert (first["kind"], first["seats_left"], first["capacity"], first["open_for_signup"]) == (
        "table",
        1,
        3,
        True,
    )
    assert first["link"] == f"https://t.me/samenspel_test_bot?start=e_{table.id}"
    trainings = await _features(client, "events.geojson", kind="training")
    assert [f["properties"]["id"] for f in trainings] == [training.id]


async def test_responses_carry_an_etag_and_are_gzipped(
    client: TestClient[Any, Any], repo: Repo, clock: FakeClock
) -> None:
    await _seed(repo, clock)
    first = await client.get("/webapp/api/initiatives.geojson", headers={"Accept-Encoding": "gzip"})
    assert first.status == 200
    assert first.headers["Content-Encoding"] == "gzip"
    tag = first.headers["ETag"]
    again = await client.get("/webapp/api/initiatives.geojson", headers={"If-None-Match": tag})
    assert again.status == 304
    await add_initiative(repo, clock.now(), name="Nieuw initiatief")
    changed = await client.get("/webapp/api/initiatives.geojson", headers={"If-None-Match": tag})
    assert changed.status == 200 and changed.headers["ETag"] != tag


def signed_init_data(user_id: int, auth_date: datetime, token: str = TOKEN) -> str:
    """Launch data as Telegram signs it (the Mini Apps documentation's algorithm)."""
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": user_id, "first_name": "Sanne", "language_code": "nl"}),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


async def test_sign_up_needs_a_valid_fresh_signature(
    client: TestClient[Any, Any], repo: Repo, clock: FakeClock
) -> None:
    event = await make_event(repo, clock)
    url = f"/webapp/api/events/{event.id}/signup?lang=nl"
    fresh = signed_init_data(4242, clock.now() - timedelta(minutes=5))
    forged = fresh.replace("Sanne", "Piet")
    expired = signed_init_data(4242, clock.now() - timedelta(days=2))
    wrong_bot = signed_init_data(4242, clock.now(), token="654321:" + "B" * 35)
    for init_data in ("", forged, expired, wrong_bot, "hash=abc"):
        refused = await client.post(url, headers={"X-Telegram-Init-Data": init_data})
        assert refused.status == 401
        body = await refused.json()
        assert body["message"] == "Open de kaart vanuit Telegram om je hier aan te melden."
    assert await repo.registrations.of(event.id, 4242) is None
    await repo.session.commit()

    mine = await client.get("/webapp/api/me", headers={"X-Telegram-Init-Data": fresh})
    assert (await mine.json()) == {"events": []}
    accepted = await client.post(url, headers={"X-Telegram-Init-Data": fresh})
    assert accepted.status == 200
    assert await accepted.json() == {
        "outcome": "confirmed",
        "message": "Je bent aangemeld! Je krijgt een herinnering in de chat.",
    }
    again = await client.post(
        f"/webapp/api/events/{event.id}/signup?lang=en", headers={"X-Telegram-Init-Data": fresh}
    )
    assert (await again.json())["message"] == "You were already signed up."
    registration = await repo.registrations.of(event.id, 4242)
    assert registration is not None and registration.status == "confirmed"
    await repo.session.commit()
    mine = await client.get("/webapp/api/me", headers={"X-Telegram-Init-Data": fresh})
    assert (await mine.json()) == {
        "events": [{"event_id": event.id, "status": "confirmed", "waitlist_position": None}]
    }


async def test_the_page_speaks_the_readers_language(client: TestClient[Any, Any]) -> None:
    dutch = await client.get("/webapp/?lang=nl")
    text = await dutch.text()
    assert '<html lang="nl">' in text and "<title>Kaart van Samenspel</title>" in text
    english = await client.get("/webapp/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "<title>Samenspel map</title>" in await english.text()
    assert (await client.get("/webapp/vendor/leaflet/leaflet.js")).status == 200
    assert (await client.get("/webapp/vendor/markercluster/leaflet.markercluster.js")).status == 200
    assert (await client.get("/webapp/static/map.js")).status == 200
