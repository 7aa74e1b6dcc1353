"""The map page in the reader's language: the HTML shell with its settings and every text it
shows, so the script itself carries no words (they live in the gettext catalogs)."""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from bot.catalog.municipalities import MUNICIPALITIES, PROVINCE_OUTLINE
from bot.catalog.themes import THEMES
from bot.config import Settings
from bot.i18n import CatalogI18n, _, ngettext, speaking
from bot.labels import KIND_LABELS

LANGUAGES = ("nl", "en")


def page_language(asked: str | None, accept_language: str | None, default: str) -> str:
    """The page's language: asked for (?lang=), else the browser's first known one."""
    if asked in LANGUAGES:
        return str(asked)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else "nl"


def _texts() -> dict[str, str]:
    return {
        "title": _("Samenspel map"),
        "map_label": _("Map of initiatives and events"),
        "search_label": _("Search initiatives"),
        "search_placeholder": _("For example: vegetable garden, loneliness, Zeist"),
        "search_button": _("Search"),
        "clear": _("Clear"),
        "what": _("Show"),
        "kind_all": _("Everything"),
        "kind_initiatives": _("Initiatives"),
        "kind_events": _("Events"),
        "theme": _("Theme"),
        "theme_all": _("All themes"),
        "place": _("Municipality"),
        "place_all": _("All municipalities"),
        "list_heading": _("Results"),
        "count_one": ngettext("{count} result", "{count} results", 1),
        "count_other": ngettext("{count} result", "{count} results", 2),
        "nothing": _("Nothing found. Try another word or filter."),
        "loading": _("Loading…"),
        "load_failed": _("The map data could not be loaded. Please try again later."),
        "approximate": _("Place is approximate"),
        "open_in_chat": _("Open in the chat"),
        "sign_up": _("Sign up"),
        "join_waitlist": _("Join the waitlist"),
        "signup_readonly": _("Open the map from Telegram to sign up here."),
        "seats_one": ngettext("{count} seat left", "{count} seats left", 1),
        "seats_other": ngettext("{count} seat left", "{count} seats left", 2),
        "full": _("Full: you can join the waitlist"),
        "signup_closed": _("Signing up has closed"),
        "failed": _("That didn't work. Please try again."),
        "close": _("Close"),
        "website": _("Website"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "show_on_map": _("Show on the map"),
        "skip_to_list": _("Skip to the list"),
        "initiative": _("Initiative"),
        "signed_up": _("You are signed up."),
        "on_waitlist": _("You are on the waitlist: number {position}."),
    }


def _config(settings: Settings, locale: str, bot_username: str) -> dict[str, Any]:
    return {
        "lang": locale,
        "botUsername": bot_username,
        "tileUrl": settings.map_tile_url,
        "tileAttribution": settings.map_tile_attribution,
        "timeZone": settings.timezone,
        "texts": _texts(),
        "themes": {slug: label.label(locale) for slug, label in THEMES.items()},
        "kinds": {kind: _(label) for kind, label in KIND_LABELS.items()},
        "municipalities": sorted(m.name for m in MUNICIPALITIES),
        # Drawn under the markers, so the map has its shape also when no tiles load.
        "outline": [list(point) for point in PROVINCE_OUTLINE],
    }


def _template() -> str:
    return (resources.files("webapp") / "static" / "index.html").read_text(encoding="utf-8")


def page_html(settings: Settings, i18n: CatalogI18n, locale: str, bot_username: str) -> str:
    """index.html with the settings and texts of this language filled in."""
    with speaking(i18n, locale):
        config = _config(settings, locale, bot_username)
    # Inside <script>, "</" would end the element: JSON allows writing it as "<\/".
    data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    return (
        _template()
        .replace("{{lang}}", locale)
        .replace("{{title}}", html.escape(config["texts"]["title"]))
        .replace("{{config}}", data)
    )
