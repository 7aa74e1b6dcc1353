"""Behaviour of the search index on small, hand-made collections of initiatives."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache

import pytest

from bot.search import SearchDocument, SearchIndex, Vocabulary
from bot.search.geo import haversine_km
from bot.search.placeindex import PlaceSets
from bot.search.placerank import top_topic_in_place


def doc(
    doc_id: int,
    name: str,
    description: str = "",
    *,
    themes: tuple[str, ...] = (),
    municipality: str = "Utrecht",
    neighbourhood: str = "",
    keywords: tuple[str, ...] = (),
    lat: float | None = None,
    lon: float | None = None,
) -> SearchDocument:
    return SearchDocument(
        doc_id,
        f"t-{doc_id}",
        name,
        description,
        themes,
        municipality,
        neighbourhood,
        keywords,
        lat,
        lon,
    )


DOCS = (
    doc(
        1,
        "Buurtmoestuin De Groene Vinger",
        "We tuinieren samen met buurtbewoners.",
        themes=("natuur-en-groen", "voedsel"),
        neighbourhood="Overvecht",
        keywords=("moestuin",),
        lat=52.117,
        lon=5.112,
    ),
    doc(
        2,
        "Taalcafé Overvecht",
        "Elke week oefenen we Nederlands spreken.",
        themes=("taal", "nieuwkomers"),
        neighbourhood="Overvecht",
        lat=52.119,
        lon=5.117,
    ),
    doc(
        3,
        "Repair Café Lombok",
        "Neem je kapotte spullen mee, wij repareren ze.",
        themes=("duurzaamheid",),
        neighbourhood="West",
        lat=52.0925,
        lon=5.100,
    ),
    doc(
        4,
        "Reparatiecafé Zeist",
        "Samen spullen maken in plaats van weggooien.",
        themes=("duurzaamheid",),
        municipality="Zeist",
        lat=52.083,
        lon=5.258,
    ),
    doc(
        5,
        "Koffieochtend voor senioren",
        "Elke donderdag koffie en een praatje.",
        themes=("ouderen", "eenzaamheid"),
        municipality="Soest",
        lat=52.16,
        lon=5.305,
    ),
    doc(
        6,
        "Voedselbank Amersfoort",
        "Wekelijks een voedselpakket voor wie het krap heeft.",
        themes=("armoede", "voedsel"),
        municipality="Amersfoort",
        lat=52.16,
        lon=5.372,
    ),
    doc(
        7,
        "Kledingbank Nieuwegein",
        "Gratis tweedehands kleding.",
        themes=("armoede",),
        municipality="Nieuwegein",
        lat=52.04,
        lon=5.085,
    ),
    doc(
        8,
        "Energiecoaches Kanaleneiland",
        "Onze energiecoaches helpen je energie besparen.",
        themes=("duurzaamheid", "armoede"),
        neighbourhood="Zuidwest",
        lat=52.076,
        lon=5.097,
    ),
    doc(
        9,
        "Huiswerkklas Zuilen",
        "Studenten helpen leerlingen met hun huiswerk.",
        themes=("kinderen", "werk-en-scholing"),
        neighbourhood="Noordwest",
        keywords=("bijles",),
        lat=52.106,
        lon=5.102,
    ),
    doc(
        10,
        "Wandelgroep Lunetten",
        "Elke maandag wandelen we een uurtje.",
        themes=("sport-en-bewegen",),
        neighbourhood="Zuid",
        lat=52.065,
        lon=5.14,
    ),
    doc(
        11,
        "Speeltuinvereniging De Sterrenhof",
        "De speeltuin voor kinderen uit Ondiep.",
        themes=("kinderen",),
        neighbourhood="Noordwest",
        lat=52.104,
        lon=5.106,
    ),
    doc(
        12,
        "Roze 55+ Amersfoort",
        "Ontmoetingsmiddag voor LHBTI+ 55-plussers.",
        themes=("ouderen", "eenzaamheid"),
        municipality="Amersfoort",
        lat=52.156,
        lon=5.388,
    ),
    doc(
        13,
        "Inloophuis De Haven",
        "Voor mensen die zich eenzaam voelen.",
        themes=("eenzaamheid",),
        municipality="Vijfheerenlanden",
        neighbourhood="Vianen",
        lat=51.99,
        lon=5.09,
    ),
    doc(
        14,
        "Fietsenwerkplaats De Spaak",
        "Werkplaats in Kanaleneiland: leer je fiets maken.",
        themes=("jongeren", "duurzaamheid"),
        neighbourhood="Zuidwest",
        lat=52.077,
        lon=5.098,
    ),
    doc(
        15,
        "Buurtkamer Kattenbroek",
        "Elke ochtend koffie in onze buurtkamer.",
        themes=("eenzaamheid",),
        municipality="Amersfoort",
        neighbourhood="Kattenbroek",
        lat=52.175,
        lon=5.405,
    ),
)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary.load_default()


def make_index(docs: Iterable[SearchDocument] = DOCS) -> SearchIndex:
    index = SearchIndex(vocabulary())
    index.build(docs)
    return index


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return make_index()


def ids(index: SearchIndex, query: str, **kwargs: object) -> list[int]:
    return [hit.id for hit in index.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_plural_query_finds_singular_name(index: SearchIndex) -> None:
    assert ids(index, "speeltuinen")[0] == 11


def test_diminutive_query_finds_base_word(index: SearchIndex) -> None:
    assert ids(index, "moestuintjes")[0] == 1


def test_query_without_accent_finds_accented_name(index: SearchIndex) -> None:
    assert ids(index, "taalcafe")[0] == 2
    assert ids(index, "TAALCAFÉ")[0] == 2


def test_compound_query_finds_its_parts_and_the_other_way_round(index: SearchIndex) -> None:
    assert ids(index, "moestuin")[0] == 1  # buurtmoestuin contains moestuin
    assert ids(index, "taal cafe")[0] == 2  # two words find the compound
    assert ids(index, "energie coach")[0] == 8
    assert 9 in ids(index, "huiswerkhulp")[:2]


def test_typos_are_corrected(index: SearchIndex) -> None:
    assert ids(index, "moestiun")[0] == 1
    assert set(ids(index, "repiar cafe")[:2]) == {3, 4}


def test_short_words_do_not_fuzzy_match_everything(index: SearchIndex) -> None:
    assert index.search("tuig").total == 0
    assert index.search("xq").total == 0


def test_fuzzy_matches_rank_below_exact_matches() -> None:
    index = make_index(
        [
            doc(1, "Wandelclub", "Samen wandelen."),
            doc(2, "Wandelclubs", "Samen wandelen in clubs."),
            doc(3, "Handelclub", "Over handel."),
        ]
    )
    assert ids(index, "handelclub")[0] == 3


def test_synonym_finds_other_words_of_the_field(index: SearchIndex) -> None:
    assert ids(index, "bejaarden")[:2] in ([5, 12], [12, 5])
    assert ids(index, "reparatiecafe")[:2] == [4, 3]


def test_literal_match_ranks_above_synonym(index: SearchIndex) -> None:
    assert ids(index, "senioren")[0] == 5


def test_english_query_finds_dutch_initiatives(index: SearchIndex) -> None:
    assert ids(index, "food bank")[0] == 6
    assert ids(index, "language cafe")[0] == 2
    assert ids(index, "community garden")[0] == 1
    assert set(ids(index, "lgbt")) == {12}


def test_food_bank_does_not_find_the_clothing_bank_first(index: SearchIndex) -> None:
    assert ids(index, "food bank")[0] != 7


def test_everyday_words_find_the_concept(index: SearchIndex) -> None:
    assert set(ids(index, "weinig geld")[:2]) <= {6, 7, 8}
    assert ids(index, "ik voel me alleen")[0] in {13, 5, 15}


def test_theme_word_finds_initiatives_with_that_theme(index: SearchIndex) -> None:
    result = index.search("armoede")
    assert "armoede" in result.themes
    assert {6, 7} <= {hit.id for hit in result.hits[:3]}


def test_place_with_topic_ranks_topic_in_place_first(index: SearchIndex) -> None:
    result = index.search("repair cafe zeist")
    assert result.place == "Zeist"
    assert [hit.id for hit in result.hits[:2]] == [4, 3]


def test_place_with_topic_leaves_out_other_topics_in_place(index: SearchIndex) -> None:
    assert 12 not in ids(index, "voedselbank amersfoort")


def test_a_topic_in_a_place_orders_the_place_then_its_surroundings_then_the_rest() -> None:
    # best 10: in the place from 2.5 on is lifted; the wijk around it × 1.15, the town × 1.05.
    scores = {1: 4.0, 2: 10.0, 3: 2.0, 4: 9.0, 5: 9.0, 6: 8.0, 7: 8.0, 8: 3.0, 9: 4.0}
    sets = PlaceSets(inside={1, 3, 7}, area={5, 8}, city={9})
    top, total = top_topic_in_place(scores, sets, needed=9)
    assert [doc_id for doc_id, _ in top] == [7, 1, 5, 2, 4, 6, 9, 8, 3]
    assert total == 9
    assert dict(top)[7] == pytest.approx(28.0)
    assert dict(top)[5] == pytest.approx(9 * 1.15)
    # Only as many as needed; equal scores keep the order they came in.
    assert top_topic_in_place(scores, sets, needed=2) == ([(7, 28.0), (1, 24.0)], 9)
    tied, nowhere = {12: 1.0, 10: 1.0, 11: 1.0}, PlaceSets(set(), set(), set())
    assert [doc_id for doc_id, _ in top_topic_in_place(tied, nowhere, 3)[0]] == [12, 10, 11]
    # A filter counts only what it keeps, but the lift is measured against the best of all.
    kept, total = top_topic_in_place(scores, sets, needed=3, keep=lambda doc_id: doc_id != 2)
    assert [doc_id for doc_id, _ in kept] == [7, 1, 5]
    assert total == 8


def test_bare_place_returns_initiatives_in_the_place_first(index: SearchIndex) -> None:
    result = index.search("kanaleneiland")
    assert result.place == "Kanaleneiland"
    assert set(hit.id for hit in result.hits[:2]) == {8, 14}


def test_multiword_place_is_recognised_and_removed(index: SearchIndex) -> None:
    result = index.search("taalcafe overvecht")
    assert result.place == "Overvecht"
    assert result.hits[0].id == 2


def test_filters_restrict_theme_and_municipality(index: SearchIndex) -> None:
    assert set(ids(index, "koffie", municipality="amersfoort")) <= {15, 12, 6}
    assert all(i in {6, 7, 8} for i in ids(index, "gratis", theme="armoede"))


def test_pagination_with_offset_continues_the_ranking(index: SearchIndex) -> None:
    full = ids(index, "eenzaamheid", limit=10)
    first = index.search("eenzaamheid", limit=2)
    second = index.search("eenzaamheid", limit=2, offset=2)
    assert [hit.id for hit in first.hits + second.hits] == full[:4]
    assert first.total == second.total == len(full)


def test_upsert_and_remove_update_results() -> None:
    index = make_index()
    assert index.search("imkerij").total == 0
    index.upsert(doc(99, "Imkerij De Bijenkorf", "Samen bijen houden in de stadstuin."))
    assert ids(index, "imkerij") == [99]
    index.upsert(doc(99, "Imkerij De Bijenkorf", "Nu ook vogels tellen."))
    assert 99 in ids(index, "vogels")
    index.remove(99)
    assert index.search("imkerij").total == 0
    assert len(index) == len(DOCS)
    index.remove(12345)


def test_similar_initiatives_share_themes_and_words(index: SearchIndex) -> None:
    similar = [hit.id for hit in index.similar(3, limit=3)]
    assert 3 not in similar
    assert similar[0] == 4


def test_nearby_returns_distances_in_km(index: SearchIndex) -> None:
    hits = index.nearby(52.0907, 5.1214, limit=3, max_km=5)
    assert hits and hits[0].distance_km <= hits[-1].distance_km
    assert all(hit.distance_km <= 5 for hit in hits)
    assert 4 not in [hit.id for hit in hits]  # Zeist is further than 5 km
    assert haversine_km(52.0907, 5.1214, 52.1561, 5.3878) == pytest.approx(19.5, abs=0.5)


def test_zero_result_query_is_logged_without_its_words(
    index: SearchIndex, caplog: pytest.LogCaptureFixture
) -> None:
    # The words reach the log only once several people searched them (bot.services.search.misses).
    with caplog.at_level(logging.INFO, logger="bot.search.index"):
        result = index.search("Ik zoek Xylofoonles")
    assert result.total == 0
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["search without results (1 words)"]


def test_query_of_only_stop_words_returns_without_error(index: SearchIndex) -> None:
    assert index.search("de het een").total == 0
    assert index.search("").hits == []


def test_suggest_themes_for_unknown_words(index: SearchIndex) -> None:
    assert index.suggest_themes("armoe")[0] == "armoede"
    assert "ouderen" in index.suggest_themes("bejaarden")


def test_a_word_that_recurs_in_the_parts_of_a_query_is_looked_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "taalcafé" is also searched as "taal" + "café" and "language" + "café": the parts'
    # postings are walked once per search, however often they recur.
    index = make_index()
    looked_up: list[str] = []
    postings = index._postings
    arrays = postings.arrays

    def counted(term: str) -> tuple[object, object]:
        looked_up.append(term)
        return arrays(term)

    monkeypatch.setattr(postings, "arrays", counted)
    assert ids(index, "taalcafe")[0] == 2
    assert looked_up and len(looked_up) == len(set(looked_up)), looked_up
