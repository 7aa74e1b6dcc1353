"""Municipalities typed fuzzily, the province outline on real places, and the field checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.catalog.municipalities import MUNICIPALITIES, in_province, match_municipality
from bot.services.initiatives.fields import (
    InvalidAnswerError,
    Problem,
    parse_email,
    parse_keywords,
    parse_location,
    parse_phone,
    parse_telegram,
    parse_website,
)

DEV_FILE = Path(__file__).parent / "data" / "search_eval" / "initiatives.json"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Utreg", "Utrecht"),
        ("de bilt", "De Bilt"),
        ("Wijk bij Duurstede", "Wijk bij Duurstede"),
        ("Amersfort", "Amersfoort"),
        ("gemeente Zeist", "Zeist"),
        ("ijselstein", "IJsselstein"),
        ("Maarssen", "Stichtse Vecht"),
        ("Spakenburg", "Bunschoten"),
        ("veenendal", "Veenendaal"),
    ],
)
def test_typed_municipality_names_are_understood(typed: str, meant: str) -> None:
    found = match_municipality(typed).found
    assert found is not None and found.name == meant


def test_unsure_names_get_suggestions_and_unknown_ones_nothing() -> None:
    unsure = match_municipality("Utrec")
    assert unsure.found is None
    assert [m.name for m in unsure.suggestions] == ["Utrecht", "Utrechtse Heuvelrug"]
    assert match_municipality("Amsterdam") == match_municipality("Rotterdam")
    assert match_municipality("Amsterdam").found is None
    assert match_municipality("Amsterdam").suggestions == ()


def test_there_are_26_municipalities_all_inside_the_province() -> None:
    assert len(MUNICIPALITIES) == 26
    assert all(in_province(m.lat, m.lon) for m in MUNICIPALITIES)


def test_every_initiative_of_the_address_file_lies_inside() -> None:
    rows = json.loads(DEV_FILE.read_text(encoding="utf-8"))
    assert all(in_province(row["lat"], row["lon"]) for row in rows)


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Abcoude", 52.27, 4.97),
        ("Mijdrecht", 52.207, 4.863),
        ("Leerdam", 51.893, 5.092),
        ("Rhenen", 51.959, 5.568),
        ("Spakenburg", 52.252, 5.365),
        ("Hollandsche Rading", 52.18, 5.18),
        ("Oudewater", 52.025, 4.868),
    ],
)
def test_places_at_the_edge_are_inside(place: str, lat: float, lon: float) -> None:
    assert in_province(lat, lon), place


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Amsterdam", 52.37, 4.90),
        ("Hilversum", 52.223, 5.176),
        ("Culemborg", 51.955, 5.227),
        ("Gouda", 52.017, 4.708),
        ("Barneveld", 52.14, 5.585),
        ("Ede", 52.04, 5.665),
        ("Nijkerk", 52.22, 5.49),
        ("Gorinchem", 51.83, 4.97),
    ],
)
def test_places_just_outside_are_outside(place: str, lat: float, lon: float) -> None:
    assert not in_province(lat, lon), place


def test_contact_details_are_normalised() -> None:
    assert parse_website("WWW.Zonnebloem.NL/agenda") == "https://www.zonnebloem.nl/agenda"
    assert parse_email("Info@Zonnebloem.NL") == "Info@zonnebloem.nl"
    assert parse_phone("+31 (0)30-123 45 67") == "+31301234567"
    assert parse_phone("0031 6 1234 5678") == "+31612345678"
    assert parse_telegram("https://t.me/onzetuin") == "onzetuin"
    assert parse_keywords("moestuin; oogst\nMoestuin") == ["moestuin", "oogst"]
    assert parse_location("52,09 5,12").lat == 52.09


@pytest.mark.parametrize(
    ("parse", "text", "problem"),
    [
        (parse_website, "http://localhost", Problem.WEBSITE),
        (parse_website, "javascript:alert(1)", Problem.WEBSITE),
        (parse_email, "jan@@voorbeeld.nl", Problem.EMAIL),
        (parse_phone, "+32 470 12 34 56", Problem.PHONE),
        (parse_telegram, "@1abcde", Problem.TELEGRAM),
        (parse_location, "52.09", Problem.LOCATION_FORMAT),
        (parse_location, "51.44, 5.47", Problem.LOCATION_OUTSIDE),
    ],
)
def test_wrong_contact_details_are_refused(parse: object, text: str, problem: Problem) -> None:
    with pytest.raises(InvalidAnswerError) as caught:
        parse(text)  # type: ignore[operator]
    assert caught.value.problem is problem
