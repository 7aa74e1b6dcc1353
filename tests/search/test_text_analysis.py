"""Normalisation, stemming and compound splitting."""

from __future__ import annotations

import pytest

from bot.search.analysis import Analyzer
from bot.search.compounds import Decompounder
from bot.search.normalize import STOP_WORDS, content_tokens, tokens, words
from bot.search.stemmer import stem
from bot.text import fold


def test_fold_removes_case_and_diacritics() -> None:
    assert fold("Café ÉÉN Coöperatie") == "cafe een cooperatie"


def test_tokens_join_hyphenated_words_and_keep_their_parts() -> None:
    assert words("zonne-energie") == [("zonne", "energie")]
    assert tokens("Zonne-energie voor 65+") == ["zonneenergie", "voor", "65plus"]


def test_plural_apostrophe_is_joined() -> None:
    assert tokens("opa's en oma's") == ["opas", "en", "omas"]


def test_stop_words_are_dropped_from_content() -> None:
    assert content_tokens("Ik zoek iets voor mijn kinderen") == ["kinderen"]
    assert {"de", "het", "een", "the", "for"} <= STOP_WORDS


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("moestuinen", "moestuin"),
        ("tuintjes", "tuin"),
        ("wandelingen", "wandelen"),
        ("wandelingetje", "wandeling"),
        ("buurtkamers", "buurtkamer"),
        ("taalmaatjes", "taalmaatje"),
        ("maatje", "maat"),
        ("spelletjes", "spel"),
        ("straten", "straat"),
        ("bakken", "bak"),
        ("boompje", "boom"),
        ("eenzame", "eenzaam"),
        ("eenzaamheid", "eenzaam"),
        ("reparaties", "reparatie"),
        ("energiecoaches", "energiecoach"),
        ("kinderen", "kind"),
        ("opas", "opa"),
        ("cafes", "cafe"),
    ],
)
def test_dutch_inflections_share_a_stem(inflected: str, base: str) -> None:
    assert stem(inflected) == stem(base)


def test_elderly_and_parents_stay_apart() -> None:
    assert stem("ouderen") != stem("ouders")


def test_short_words_are_left_alone() -> None:
    assert stem("bus") == "bus"
    assert stem("huis") == "huis"
    assert stem("gratis") == "gratis"


def test_compound_splits_on_longest_known_parts() -> None:
    splitter = Decompounder()
    splitter.add_words(["buurt", "moestuin", "huiswerk", "hulp", "vrijwilliger", "werk"])
    assert splitter.split("buurtmoestuin") == ("buurt", "moestuin")
    assert splitter.split("huiswerkhulp") == ("huiswerk", "hulp")


def test_compound_handles_linking_s() -> None:
    splitter = Decompounder()
    splitter.add_words(["vrijwilliger", "werk"])
    parts = splitter.split("vrijwilligerswerk")
    assert parts is not None
    assert [stem(part) for part in parts] == [stem("vrijwilliger"), "werk"]


def test_unknown_parts_do_not_split() -> None:
    splitter = Decompounder()
    splitter.add_words(["buurt"])
    assert splitter.split("buurtxyzzy") is None
    assert splitter.split("vandaag") is None


def test_compound_word_indexes_its_head_and_modifier() -> None:
    analyzer = Analyzer(["buurt", "moestuin", "moes", "tuin"])
    terms = dict(analyzer.word_terms(("buurtmoestuin",)))
    assert terms[stem("buurtmoestuin")] == 1.0
    assert terms[stem("moestuin")] > terms[stem("buurt")]
    assert stem("tuin") in terms


def test_short_fields_index_joined_word_pairs() -> None:
    analyzer = Analyzer()
    counts, length = analyzer.field_terms(words("Taal café"), bigrams=True)
    assert length == 2
    assert stem("taalcafe") in counts
