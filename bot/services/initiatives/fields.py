"""The fields of an initiative profile: their order in the registration and how every answer is
checked and stored. Problems are raised as `InvalidAnswerError`; handlers word them."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.catalog.municipalities import Municipality, in_province, match_municipality
from bot.catalog.themes import THEMES
from bot.services.initiatives.errors import InitiativeError
from storage.models import Initiative


class Field(enum.StrEnum):
    NAME = "name"
    DESCRIPTION = "description"
    THEMES = "themes"
    MUNICIPALITY = "municipality"
    NEIGHBOURHOOD = "neighbourhood"
    LOCATION = "location"
    WEBSITE = "website"
    EMAIL = "email"
    PHONE = "phone"
    TELEGRAM = "telegram"
    KEYWORDS = "keywords"


STEPS: tuple[Field, ...] = tuple(Field)
PREVIEW = "preview"
REQUIRED: frozenset[Field] = frozenset(
    {Field.NAME, Field.DESCRIPTION, Field.THEMES, Field.MUNICIPALITY}
)

NAME_LENGTH = (3, 80)
DESCRIPTION_LENGTH = (20, 1000)
MAX_THEMES = 3
NEIGHBOURHOOD_LENGTH = (2, 60)
MAX_KEYWORDS = 5
KEYWORD_LENGTH = (2, 30)


class Problem(enum.StrEnum):
    NAME_LENGTH = "name_length"
    DESCRIPTION_LENGTH = "description_length"
    THEMES_NONE = "themes_none"
    THEMES_TOO_MANY = "themes_too_many"
    MUNICIPALITY_UNKNOWN = "municipality_unknown"
    MUNICIPALITY_UNSURE = "municipality_unsure"
    NEIGHBOURHOOD_LENGTH = "neighbourhood_length"
    LOCATION_FORMAT = "location_format"
    LOCATION_NOT_FOUND = "location_not_found"
    LOCATION_OUTSIDE = "location_outside"
    LOCATION_ELSEWHERE = "location_elsewhere"
    NEIGHBOURHOOD_ELSEWHERE = "neighbourhood_elsewhere"
    WEBSITE = "website"
    EMAIL = "email"
    PHONE = "phone"
    TELEGRAM = "telegram"
    KEYWORDS = "keywords"


class InvalidAnswerError(InitiativeError, ValueError):
    """An answer that cannot be stored; `suggestions` offers municipalities when unsure;
    `details` names what the answer disagrees with (a place in another municipality)."""

    def __init__(
        self,
        problem: Problem,
        suggestions: tuple[Municipality, ...] = (),
        details: dict[str, str] | None = None,
    ) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.suggestions = suggestions
        self.details = details or {}


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float
    address: str | None = None  # as people read it, when the address lookup knew it


_HOST_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{1,5})?$")
_EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}$")
_TELEGRAM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
_NUMBER_RE = re.compile(r"-?\d{1,3}(?:[.,]\d+)?")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _within(text: str, bounds: tuple[int, int], problem: Problem) -> str:
    if not bounds[0] <= len(text) <= bounds[1]:
        raise InvalidAnswerError(problem)
    return text


def parse_name(text: str) -> str:
    name = _within(_one_line(text), NAME_LENGTH, Problem.NAME_LENGTH)
    if not any(char.isalpha() for char in name):
        raise InvalidAnswerError(Problem.NAME_LENGTH)
    return name


def parse_description(text: str) -> str:
    lines = [_one_line(line) for line in text.strip().splitlines()]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return _within(cleaned, DESCRIPTION_LENGTH, Problem.DESCRIPTION_LENGTH)


def parse_municipality(text: str) -> str:
    match = match_municipality(text)
    if match.found is not None:
        return match.found.name
    if match.suggestions:
        raise InvalidAnswerError(Problem.MUNICIPALITY_UNSURE, match.suggestions)
    raise InvalidAnswerError(Problem.MUNICIPALITY_UNKNOWN)


def parse_neighbourhood(text: str) -> str:
    return _within(_one_line(text), NEIGHBOURHOOD_LENGTH, Problem.NEIGHBOURHOOD_LENGTH)


def check_location(lat: float, lon: float) -> Location:
    if not in_province(lat, lon):
        raise InvalidAnswerError(Problem.LOCATION_OUTSIDE)
    return Location(round(lat, 6), round(lon, 6))


def parse_location(text: str) -> Location:
    """Coordinates typed as "52.09, 5.12" or "52,09 5,12"."""
    numbers = _NUMBER_RE.findall(text)
    if len(numbers) != 2 or _NUMBER_RE.sub("", text).strip(" ,;") != "":
        raise InvalidAnswerError(Problem.LOCATION_FORMAT)
    lat, lon = (float(number.replace(",", ".")) for number in numbers)
    return check_location(lat, lon)


def parse_website(text: str) -> str:
    url = text.strip()
    if " " in url or len(url) > 200:
        raise InvalidAnswerError(Problem.WEBSITE)
    if not re.match(r"^https?://", url, re.IGNORECASE):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not _HOST_RE.match(parts.netloc.lower()):
        raise InvalidAnswerError(Problem.WEBSITE)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def parse_email(text: str) -> str:
    email = text.strip().removeprefix("mailto:")
    local, _at, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"
    if len(email) > 254 or not _EMAIL_RE.match(email):
        raise InvalidAnswerError(Problem.EMAIL)
    return email


def parse_phone(text: str) -> str:
    """A Dutch number (06…, 030…, +31…, 0031…), stored as +31…."""
    digits = re.sub(r"[\s\-.]", "", text.strip()).replace("(0)", "")
    digits = re.sub(r"[()]", "", digits)
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise InvalidAnswerError(Problem.PHONE)
    return "+31" + digits[1:]


def parse_telegram(text: str) -> str:
    name = re.sub(r"^(?:https?://)?(?:www\.)?t(?:elegram)?\.me/", "", text.strip()).lstrip("@")
    if not _TELEGRAM_RE.match(name):
        raise InvalidAnswerError(Problem.TELEGRAM)
    return name


def parse_keywords(text: str) -> list[str]:
    keywords: list[str] = []
    for part in re.split(r"[,;\n]+", text):
        word = _one_line(part)
        if not word:
            continue
        if not KEYWORD_LENGTH[0] <= len(word) <= KEYWORD_LENGTH[1]:
            raise InvalidAnswerError(Problem.KEYWORDS)
        if word.casefold() not in {known.casefold() for known in keywords}:
            keywords.append(word)
    if not keywords or len(keywords) > MAX_KEYWORDS:
        raise InvalidAnswerError(Problem.KEYWORDS)
    return keywords


def check_themes(themes: list[str]) -> list[str]:
    known = [slug for slug in themes if slug in THEMES]
    if not known:
        raise InvalidAnswerError(Problem.THEMES_NONE)
    if len(known) > MAX_THEMES:
        raise InvalidAnswerError(Problem.THEMES_TOO_MANY)
    return known


_TEXT_PARSERS = {
    Field.NAME: parse_name,
    Field.DESCRIPTION: parse_description,
    Field.MUNICIPALITY: parse_municipality,
    Field.NEIGHBOURHOOD: parse_neighbourhood,
    Field.LOCATION: parse_location,
    Field.WEBSITE: parse_website,
    Field.EMAIL: parse_email,
    Field.PHONE: parse_phone,
    Field.TELEGRAM: parse_telegram,
    Field.KEYWORDS: parse_keywords,
}


def parse_text(field: Field, text: str) -> Any:
    """Check a typed answer for `field`; the value to store, or InvalidAnswerError."""
    parser = _TEXT_PARSERS.get(field)
    if parser is None:  # themes are chosen with buttons; typing a theme name also works
        return check_themes(_themes_from_text(text))
    return parser(text)


_JOINING_WORDS = frozenset({"en", "and", "of", "or", "ook", "also", "&", "+", "/"})


def _themes_from_text(text: str) -> list[str]:
    """The themes named in a typed list, however it is joined: "duurzaamheid, wonen",
    "duurzaamheid en leefbaarheid", "Natuur en groen & Jongeren". Names are matched longest
    first, so a name that holds "en" itself ("Natuur en groen") stays whole. Any other word
    left over means a theme was not recognised: then nothing is taken."""
    rest = " " + re.sub(r"[\s,;]+", " ", text.casefold()).strip() + " "
    names = sorted(
        ((name, slug) for slug, label in THEMES.items()
         for name in {slug, slug.replace("-", " "), label.nl.casefold(), label.en.casefold()}),
        key=lambda pair: -len(pair[0]),
    )  # fmt: skip
    found: list[str] = []
    for name, slug in names:
        marker = f" {name} "
        while marker in rest:
            rest = rest.replace(marker, " | ", 1)
            if slug not in found:
                found.append(slug)
    leftover = [word for word in rest.split() if word != "|" and word not in _JOINING_WORDS]
    if leftover:
        return []
    return [slug for slug in THEMES if slug in found]


def set_value(initiative: Initiative, field: Field, value: Any) -> None:
    """Store a checked value; None clears an optional field."""
    if field is Field.LOCATION:
        initiative.lat = value.lat if value else None
        initiative.lon = value.lon if value else None
        initiative.address = value.address if value else None
    elif field in (Field.THEMES, Field.KEYWORDS):
        setattr(initiative, field.value, list(value or []))
    else:
        setattr(initiative, field.value, value)


def has_value(initiative: Initiative, field: Field) -> bool:
    if field is Field.LOCATION:
        return initiative.lat is not None and initiative.lon is not None
    return bool(getattr(initiative, field.value))


def is_complete(initiative: Initiative) -> bool:
    return all(has_value(initiative, field) for field in REQUIRED)
