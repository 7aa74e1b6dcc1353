"""The CSV exports in the coordinator's language: column names, and words instead of codes
for statuses, kinds, levels, themes and yes/no; decimals with a comma in Dutch, as Dutch
Excel reads them."""

from __future__ import annotations

from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.keyboards.coordination import export_label
from bot.services.coordination.exports import CsvLanguage


def _headers() -> dict[str, str]:
    return {
        "id": _("number"),
        "ref": _("reference"),
        "name": _("name"),
        "status": _("status"),
        "themes": _("themes"),
        "municipality": _("municipality"),
        "neighbourhood": _("neighbourhood"),
        "website": _("website"),
        "email": _("email"),
        "phone": _("phone"),
        "telegram": _("Telegram"),
        "keywords": _("search words"),
        "latitude": _("latitude"),
        "longitude": _("longitude"),
        "members": _("members"),
        "published_at": _("published on"),
        "last_confirmed_at": _("last checked on"),
        "created_at": _("added on"),
        "kind": _("kind"),
        "title": _("title"),
        "level": _("level"),
        "theme": _("theme"),
        "starts_at": _("starts"),
        "ends_at": _("ends"),
        "venue": _("location"),
        "address": _("address"),
        "capacity": _("seats"),
        "seats_taken": _("seats taken"),
        "waitlisted": _("on the waitlist"),
        "attended": _("attended"),
        "no_show": _("did not come"),
        "facilitators_needed": _("facilitators needed"),
        "facilitators_confirmed": _("facilitators confirmed"),
        "event_id": _("activity number"),
        "event_title": _("activity"),
        "event_starts_at": _("activity starts"),
        "user_id": _("person number"),
        "first_name": _("first name"),
        "people": _("people"),
        "waitlist_position": _("place on the waitlist"),
        "late_cancellation": _("cancelled late"),
        "signed_up_at": _("signed up on"),
        "cancelled_at": _("cancelled on"),
        "facilitator_id": _("facilitator number"),
        "participants": _("participants"),
        "topics": _("topics"),
        "submitted_at": _("sent on"),
        "rating": _("stars"),
        "comment": _("comment"),
        "at": _("moment"),
        "actor_id": _("done by (number)"),
        "action": _("action"),
        "target": _("about"),
        "details": _("details"),
    }


def _codes() -> dict[str, str]:
    return {
        "draft": _("draft"),
        "published": _("published"),
        "hidden": _("hidden"),
        "cancelled": _("called off"),
        "completed": _("held"),
        "table": _("dialogue table"),
        "training": _("training"),
        "meetup": _("meetup"),
        "confirmed": _("signed up"),
        "waitlisted": _("on the waitlist"),
        "attended": _("attended"),
        "no_show": _("did not come"),
    }


_CODED_COLUMNS = {"status", "kind"}


def language_for(kind: str, locale: str) -> CsvLanguage:
    """The language of one export of `kind`, with `_` already speaking `locale`."""
    headers = _headers()
    codes = _codes()
    if kind == "registrations":  # a person who cancelled, not a called-off activity
        codes["cancelled"] = _("cancelled")
    yes, no = _("yes"), _("no")
    comma = not locale.startswith("en")

    def value(column: str, raw: object) -> object:
        if isinstance(raw, bool):
            return yes if raw else no
        if isinstance(raw, float):
            text = f"{raw:.6f}".rstrip("0").rstrip(".")
            return text.replace(".", ",") if comma else text
        if column == "themes" and isinstance(raw, list):
            return [THEMES[slug].label(locale) if slug in THEMES else slug for slug in raw]
        if column == "theme" and isinstance(raw, str) and raw in THEMES:
            return THEMES[raw].label(locale)
        if column in _CODED_COLUMNS and isinstance(raw, str):
            return codes.get(raw, raw)
        return raw

    return CsvLanguage(header=lambda column: headers.get(column, column), value=value)


def document_caption(kind: str, count: int) -> str:
    """The caption of an export's file: what it holds and how many rows."""
    if count:
        caption = _("📄 {what}: {count}. Opens in Excel; columns are separated by ;")
    else:
        caption = _("📄 {what}: nothing yet, so the file has only the column names.")
    return caption.format(what=export_label(kind), count=count)


def export_question() -> str:
    """/export without a kind (or an unknown one): what there is to export."""
    return _("What do you want to export? Tap one, or type for example /export events 2026.")


def bad_period_text() -> str:
    return _(
        "I don't understand that period. Try for example: /export events 2026, "
        "/export events 2026-03 or /export events 2026-01-01..2026-06-30."
    )
