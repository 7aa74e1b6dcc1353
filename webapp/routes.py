"""The Mini App's routes on the bot's web server (the one the webhook uses):

- `/webapp/`: the map page; `/webapp/static/…` its script and style; `/webapp/vendor/…` Leaflet
  and its marker clusters, from their Python packages.
- `/webapp/api/initiatives.geojson` and `/webapp/api/events.geojson`: the public data as GeoJSON
  (`?theme=`, `?municipality=`, `?q=`, for events also `?kind=`), with ETags and gzip, for the
  page and for any map tool.
- `/webapp/api/events/{id}/signup` (POST) and `/webapp/api/me` (GET): personal, only with
  Telegram's signed launch data in the `X-Telegram-Init-Data` header.

Handlers are thin: the data comes from `bot.services.map`, sign-up from the events service."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from aiogram import Bot
from aiohttp import web

from bot.app import Application
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import CatalogI18n, _, speaking
from bot.services.events import agenda
from bot.services.events.errors import EventsError
from bot.services.events.registrations import SignUpOutcome, sign_up
from bot.services.map import MapData, MapFilter, Payload, collection
from bot.services.search.index_sync import SearchIndexHolder
from bot.services.users import TelegramPerson, see_user
from handlers.events.refusals import refusal as event_refusal
from storage.engine import SessionPool
from storage.repositories import Repo
from webapp.init_data import verified_user
from webapp.page import page_html, page_language

logger = logging.getLogger(__name__)

PREFIX = "/webapp"
INIT_DATA_HEADER = "X-Telegram-Init-Data"


@dataclass(frozen=True, slots=True)
class WebappContext:
    """What the routes use of the bot: its settings, database, clock, texts and Telegram."""

    settings: Settings
    session_pool: SessionPool
    clock: Clock
    i18n: CatalogI18n
    bot: Bot

    @classmethod
    def of(cls, app: Application) -> WebappContext:
        return cls(app.settings, app.session_pool, app.clock, app.i18n, app.bot)


APP = web.AppKey("samenspel_webapp", WebappContext)
MAP_DATA = web.AppKey("map_data", MapData)


def _filter(request: web.Request) -> MapFilter:
    query = request.rel_url.query
    return MapFilter(
        theme=query.get("theme", "")[:40],
        municipality=query.get("municipality", "")[:80],
        query=query.get("q", "")[:200],
        kind=query.get("kind", "")[:16],
    )


def _geojson(request: web.Request, payload: Payload) -> web.Response:
    """The body with an ETag (304 when the client has it already), gzip when accepted."""
    headers = {
        "ETag": payload.etag,
        "Cache-Control": "public, max-age=60",
        "Access-Control-Allow-Origin": "*",
        "Vary": "Accept-Encoding",
    }
    if payload.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    body = payload.body
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body = payload.gzipped
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=body, content_type="application/geo+json", headers=headers)


async def _bot_username(app: WebappContext) -> str:
    try:
        me = await app.bot.me()
    except Exception:  # the page works without deep links when Telegram can't be reached
        logger.warning("the bot's username is unknown: links to the chat are left out")
        return ""
    return me.username or ""


async def to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound(f"{PREFIX}/" + (f"?{request.query_string}" if request.query_string else ""))


async def page(request: web.Request) -> web.Response:
    app = request.app[APP]
    settings = app.settings
    locale = page_language(
        request.rel_url.query.get("lang"),
        request.headers.get("Accept-Language"),
        settings.default_locale,
    )
    text = page_html(settings, app.i18n, locale, request.app[MAP_DATA].bot_username)
    return web.Response(text=text, content_type="text/html", headers={"Cache-Control": "no-cache"})


async def initiatives_geojson(request: web.Request) -> web.StreamResponse:
    app = request.app[APP]
    async with app.session_pool() as session:
        payload = await request.app[MAP_DATA].initiatives_payload(Repo(session), _filter(request))
    return _geojson(request, payload)


async def events_geojson(request: web.Request) -> web.StreamResponse:
    app = request.app[APP]
    async with app.session_pool() as session:
        features = await request.app[MAP_DATA].events(
            Repo(session), _filter(request), app.clock.now()
        )
    return _geojson(request, Payload(collection(features)))


def _person(request: web.Request) -> TelegramPerson | None:
    app = request.app[APP]
    user = verified_user(
        request.headers.get(INIT_DATA_HEADER, ""),
        token=app.settings.token,
        now=app.clock.now(),
        max_age=timedelta(seconds=app.settings.webapp_init_data_max_age_seconds),
    )
    if user is None:
        return None
    return TelegramPerson(
        id=user.id,
        first_name=user.first_name or "",
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


def _unsigned(locale: str, app: WebappContext) -> web.Response:
    with speaking(app.i18n, locale):
        message = _("Open the map from Telegram to sign up here.")
    return web.json_response({"error": "unsigned", "message": message}, status=401)


def _outcome_text(outcome: SignUpOutcome, position: int | None) -> str:
    if outcome == SignUpOutcome.CONFIRMED:
        return _("You're signed up! You'll get a reminder in the chat.")
    if outcome == SignUpOutcome.ALREADY_CONFIRMED:
        return _("You were already signed up.")
    return _("You're on the waitlist: number {position}.").format(position=position or "?")


async def signup(request: web.Request) -> web.Response:
    app = request.app[APP]
    locale = page_language(request.rel_url.query.get("lang"), None, app.settings.default_locale)
    person = _person(request)
    if person is None:
        return _unsigned(locale, app)
    event_id = int(request.match_info["event_id"])
    now = app.clock.now()
    async with app.session_pool() as session:
        repo = Repo(session)
        await see_user(repo, person, now=now, coordinator_ids=app.settings.coordinator_ids)
        try:
            result = await sign_up(repo, event_id, person.id, now=now)
        except EventsError as refused:
            with speaking(app.i18n, locale):
                message = event_refusal(refused)
            return web.json_response({"error": "refused", "message": message}, status=409)
    with speaking(app.i18n, locale):
        message = _outcome_text(result.outcome, result.registration.waitlist_position)
    return web.json_response({"outcome": str(result.outcome), "message": message})


async def me(request: web.Request) -> web.Response:
    """The signed-in person's upcoming seats and waitlist places ("my agenda")."""
    app = request.app[APP]
    person = _person(request)
    if person is None:
        return _unsigned(app.settings.default_locale, app)
    async with app.session_pool() as session:
        mine = await agenda.my_agenda(Repo(session), person.id, now=app.clock.now())
    entries: list[dict[str, Any]] = [
        {
            "event_id": event.id,
            "status": str(registration.status),
            "waitlist_position": registration.waitlist_position,
        }
        for registration, event in mine.entries
    ]
    return web.json_response({"events": entries})


def add_webapp(
    web_app: web.Application, app: Application | WebappContext, search_index: Any = None
) -> None:
    """Serve the map on `web_app` (the webhook's server, or one of its own)."""
    if isinstance(app, Application):
        search_index = app.dispatcher.workflow_data.get("search_index")
        app = WebappContext.of(app)
    holder = search_index if isinstance(search_index, SearchIndexHolder) else SearchIndexHolder()
    context = app
    web_app[APP] = context
    web_app[MAP_DATA] = MapData(holder)

    async def learn_bot_username(_web_app: web.Application) -> None:
        web_app[MAP_DATA].bot_username = await _bot_username(context)

    web_app.on_startup.append(learn_bot_username)
    web_app.router.add_get(f"{PREFIX}", to_page)
    web_app.router.add_get(f"{PREFIX}/", page)
    static = resources.files("webapp") / "static"
    web_app.router.add_static(f"{PREFIX}/static/", str(static))
    web_app.router.add_static(f"{PREFIX}/vendor/leaflet/", leaflet.BASE_DIR)
    web_app.router.add_static(f"{PREFIX}/vendor/markercluster/", markercluster.BASE_DIR)
    web_app.router.add_get(f"{PREFIX}/api/initiatives.geojson", initiatives_geojson)
    web_app.router.add_get(f"{PREFIX}/api/events.geojson", events_geojson)
    web_app.router.add_post(f"{PREFIX}/api/events/{{event_id:\\d+}}/signup", signup)
    web_app.router.add_get(f"{PREFIX}/api/me", me)
