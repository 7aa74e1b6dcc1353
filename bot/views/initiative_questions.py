"""The questions of the initiative registration and the friendly answers to wrong input."""

from __future__ import annotations

import html

from bot.catalog.themes import THEMES
from bot.i18n import N_, _
from bot.services.initiatives.fields import (
    DESCRIPTION_LENGTH,
    STEPS,
    Field,
    InvalidAnswerError,
    Problem,
)
from storage.models import Initiative

_QUESTIONS: dict[Field, str] = {
    Field.NAME: N_("What is the name of your initiative?"),
    Field.DESCRIPTION: N_(
        "Describe in a few sentences what you do, for whom and where. (20 to 1000 characters)"
    ),
    Field.THEMES: N_("Which themes fit? Tap up to 3, then tap “Done”."),
    Field.MUNICIPALITY: N_("In which municipality are you active? Tap it or type the name."),
    Field.NEIGHBOURHOOD: N_(
        "In which neighbourhood or village? Type it, or skip if you work in the whole municipality."
    ),
    Field.LOCATION: N_(
        "Where do you meet? Type the address or the postcode, for example “Oudegracht 1” or "
        "“3511 AA”. Are you there right now? Tap “📍 I'm there now”. You can also skip."
    ),
    Field.WEBSITE: N_("What is your website? For example www.ourgarden.nl"),
    Field.EMAIL: N_("Which e-mail address may people write to?"),
    Field.PHONE: N_("Which phone number may people call? For example 06 12345678"),
    Field.TELEGRAM: N_("Which Telegram username may people message? For example @ourgarden"),
    Field.KEYWORDS: N_(
        "Which words would people search for? Up to 5, separated by commas. "
        "For example: vegetable garden, harvest, coffee"
    ),
}

_PROBLEMS: dict[Problem, str] = {
    Problem.NAME_LENGTH: N_(
        "The name should be 3 to 80 characters long, with letters in it. Please try again."
    ),
    Problem.THEMES_NONE: N_("Tap at least one theme."),
    Problem.THEMES_TOO_MANY: N_("You can choose up to 3 themes. Untick one first."),
    Problem.MUNICIPALITY_UNKNOWN: N_(
        "I don't know that municipality in the province of Utrecht. Tap one of the buttons, "
        "or check the spelling."
    ),
    Problem.MUNICIPALITY_UNSURE: N_("Which one do you mean?"),
    Problem.NEIGHBOURHOOD_LENGTH: N_("A neighbourhood name should be 2 to 60 characters long."),
    Problem.LOCATION_FORMAT: N_(
        "I can't read that as a place. Type an address or a postcode, or skip."
    ),
    Problem.LOCATION_NOT_FOUND: N_(
        "I can't find that address. Type a street with a house number, or a postcode like "
        "3511 AA. Or skip."
    ),
    Problem.LOCATION_ELSEWHERE: N_(
        "That place is in {found}, but your initiative is in {municipality}. Is the place "
        "right? Then change the municipality first. Otherwise type an address in "
        "{municipality}."
    ),
    Problem.NEIGHBOURHOOD_ELSEWHERE: N_(
        "{name} is in {found}, not in {municipality}. Do you mean a neighbourhood or village "
        "in {municipality}? Or is the municipality wrong? Then go back and change it."
    ),
    Problem.LOCATION_OUTSIDE: N_(
        "That place is outside the province of Utrecht. Send a place inside the province, or skip."
    ),
    Problem.WEBSITE: N_("That doesn't look like a web address. Type it like www.example.nl"),
    Problem.EMAIL: N_("That doesn't look like an e-mail address. Type it like name@example.nl"),
    Problem.PHONE: N_(
        "That doesn't look like a Dutch phone number. Type 10 digits, like 06 12345678 or "
        "030 1234567."
    ),
    Problem.TELEGRAM: N_(
        "A Telegram username has 5 to 32 letters, digits or _, and starts with a letter. "
        "Type it like @ourgarden."
    ),
    Problem.KEYWORDS: N_("Type 1 to 5 words of 2 to 30 characters each, separated by commas."),
}


def current_value(initiative: Initiative, field: Field, locale: str) -> str | None:
    """What the field holds now, as plain HTML for "Now: …"; None when empty."""
    if field is Field.LOCATION:
        if initiative.lat is None or initiative.lon is None:
            return None
        if initiative.address:
            return html.escape(initiative.address)
        return _("a pin on the map")
    if field is Field.THEMES:
        names = [THEMES[slug].label(locale) for slug in initiative.themes if slug in THEMES]
        return ", ".join(names) or None
    if field is Field.KEYWORDS:
        return html.escape(", ".join(initiative.keywords)) or None
    if field is Field.TELEGRAM and initiative.telegram:
        return "@" + html.escape(initiative.telegram)
    value = getattr(initiative, field.value)
    return html.escape(str(value)) if value else None


def question_text(field: Field, initiative: Initiative, locale: str, *, editing: bool) -> str:
    """The question, with the step number while registering and the current value if any."""
    lines = []
    if not editing:
        lines.append(
            _("<i>Step {number} of {total}</i>").format(
                number=STEPS.index(field) + 1, total=len(STEPS)
            )
        )
    lines.append(_(_QUESTIONS[field]))
    now = current_value(initiative, field, locale)
    if now and field is not Field.THEMES:
        lines.append(_("Now: {value}").format(value=now))
    return "\n".join(lines)


def problem_text(error: InvalidAnswerError, typed: str = "") -> str:
    if error.problem is Problem.DESCRIPTION_LENGTH:
        return _(
            "Please write between {low} and {high} characters; this was {count}. Try again?"
        ).format(low=DESCRIPTION_LENGTH[0], high=DESCRIPTION_LENGTH[1], count=len(typed.strip()))
    return _(_PROBLEMS[error.problem]).format(
        **{key: html.escape(value) for key, value in error.details.items()}
    )


def fallback_place_text(municipality: str | None) -> str:
    """The address lookup was away: the pin is the municipality's centre, for now."""
    return _(
        "The government's address book can't be reached right now, so for now I've put the pin "
        "in the middle of {municipality}. You can change it later with /mine."
    ).format(municipality=html.escape(municipality or ""))


def saved_text(cleared: list[str]) -> str:
    """An answer was saved, and what a new municipality took away (`cleared`)."""
    saved = _("✅ Saved.")
    return f"{saved}\n{cleared_places_text(cleared)}" if cleared else saved


def cleared_places_text(cleared: list[str]) -> str:
    """After a new municipality: what belonged to the old one and was taken away."""
    if cleared == ["neighbourhood"]:
        return _("The neighbourhood belonged to the old municipality, so I took it away.")
    if cleared == ["location"]:
        return _("The place on the map was in the old municipality, so I took it away.")
    return _(
        "The neighbourhood and the place on the map belonged to the old municipality, so I "
        "took them away."
    )
