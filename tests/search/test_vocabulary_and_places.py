"""The vocabulary and gazetteer data files and the theme table."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from bot.catalog.themes import THEMES
from bot.search import Gazetteer, Vocabulary
from bot.search.normalize import flat_parts
from bot.search.places import BUURT, GEMEENTE, WIJK, Nearness, place_key
from bot.search.stemmer import stem
from bot.search.themes import theme_label_words
from bot.search.vocabulary import phrase_of

MUNICIPALITIES = {
    "Amersfoort",
    "Baarn",
    "Bunnik",
    "Bunschoten",
    "De Bilt",
    "De Ronde Venen",
    "Eemnes",
    "Houten",
    "IJsselstein",
    "Leusden",
    "Lopik",
    "Montfoort",
    "Nieuwegein",
    "Oudewater",
    "Renswoude",
    "Rhenen",
    "Soest",
    "Stichtse Vecht",
    "Utrecht",
    "Utrechtse Heuvelrug",
    "Veenendaal",
    "Vijfheerenlanden",
    "Wijk bij Duurstede",
    "Woerden",
    "Woudenberg",
    "Zeist",
}
UTRECHT_WIJKEN = {
    "Binnenstad",
    "Noordoost",
    "Oost",
    "Zuid",
    "Zuidwest",
    "West",
    "Noordwest",
    "Overvecht",
    "Leidsche Rijn",
    "Vleuten-De Meern",
}


def _data(name: str, package: str = "bot.search") -> dict[str, Any]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def test_vocabulary_file_has_a_valid_structure() -> None:
    data = _data("vocabulary.toml")
    groups = data["group"]
    assert isinstance(groups, list) and len(groups) >= 40
    for group in groups:
        assert len(group["words"]) >= 2
        assert 0.0 < group.get("weight", 0.8) <= 1.0
        assert set(group.get("themes", [])) <= set(THEMES)
    for link in data["link"]:
        assert link["from"] and link["to"]
        assert 0.0 < link.get("weight", 0.8) <= 1.0
        assert set(link.get("themes", [])) <= set(THEMES)
    themes = data["themes"]
    assert isinstance(themes, dict)
    for slugs in themes.values():
        assert set(slugs) <= set(THEMES)
    assert data["lexicon"]["words"]


def test_vocabulary_links_dutch_synonyms_both_ways() -> None:
    vocabulary = Vocabulary.load_default()
    seniors = {phrase.text for phrase, _ in vocabulary.expand(stem("senioren"))}
    assert "bejaarden" in seniors
    elderly = {phrase.text for phrase, _ in vocabulary.expand(stem("bejaarden"))}
    assert "senioren" in elderly


def test_vocabulary_links_english_words_to_dutch() -> None:
    vocabulary = Vocabulary.load_default()
    key = phrase_of("food bank").key
    food_bank = {phrase.text for phrase, _ in vocabulary.expand(key)}
    assert "voedselbank" in food_bank
    assert key in vocabulary.phrase_keys


def test_synonyms_weigh_less_than_a_literal_match() -> None:
    vocabulary = Vocabulary.load_default()
    for table in vocabulary.expansions.values():
        assert all(weight < 1.0 for _, weight in table.values())


def test_every_theme_has_dutch_and_english_labels() -> None:
    assert len(THEMES) == 20
    for label in THEMES.values():
        assert label.nl and label.en
    assert "armoede" in theme_label_words()["poverty"]


def test_gazetteer_knows_the_26_municipalities_and_10_wijken() -> None:
    data = _data("places.toml", "bot.catalog")
    assert {g["name"] for g in data["gemeente"]} == MUNICIPALITIES
    assert {w["name"] for w in data["wijk"]} == UTRECHT_WIJKEN
    gazetteer = Gazetteer.load_default()
    for name in MUNICIPALITIES:
        assert gazetteer.municipality(place_key(name)) is not None


def test_multiword_place_names_are_found() -> None:
    gazetteer = Gazetteer.load_default()
    matches = gazetteer.find(["moestuin", "in", "leidsche", "rijn"])
    assert [(m.start, m.end) for m in matches] == [(2, 4)]
    assert matches[0].places[0].kind == WIJK
    municipality = gazetteer.find(["wijk", "bij", "duurstede"])[0].places[0]
    assert municipality.kind == GEMEENTE


def test_ambiguous_names_are_not_read_from_descriptions() -> None:
    gazetteer = Gazetteer.load_default()
    location = gazetteer.locate(
        "Utrecht", "West", [flat_parts("een houten bank in oost")], None, None
    )
    assert "houten" not in location.mentions and "oost" not in location.mentions


def test_buurt_named_in_text_counts_as_inside() -> None:
    gazetteer = Gazetteer.load_default()
    kanaleneiland = gazetteer.by_key["kanaleneiland"][0]
    assert kanaleneiland.kind == BUURT
    inside = gazetteer.locate("Utrecht", "Zuidwest", [["werkplaats", "kanaleneiland"]], None, None)
    same_wijk = gazetteer.locate("Utrecht", "Zuidwest", [["sport", "park"]], None, None)
    other = gazetteer.locate("Zeist", "", [["sport"]], None, None)
    assert gazetteer.relation(kanaleneiland, inside) == Nearness.INSIDE
    assert gazetteer.relation(kanaleneiland, same_wijk) == Nearness.AREA
    assert gazetteer.relation(kanaleneiland, other) == Nearness.ELSEWHERE
