"""Reading a facilitator's free answer: yes, no, unclear (ask back) or not an answer at all —
in Dutch, English and emoji, with stretched letters, diacritics, negation and mixed signals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.facilitation.reply_intent import Intent, classify, normalise

YES = [
    "ja", "Ja!", "JA", "jaaa", "ja hoor", "Ja hoor, prima", "jazeker", "Jawel", "ja graag",
    "yes", "Yes!!", "yesss", "yep", "yup", "yeah", "sure", "of course", "absolutely",
    "ok", "OK", "oké", "Oké!", "okay", "okee", "prima", "Prima!", "goed", "is goed", "komt goed",
    "top", "Top 👍", "doe ik", "doe ik graag", "ik doe het", "graag", "met plezier", "zeker",
    "tuurlijk", "natuurlijk!", "akkoord", "afgesproken", "ik kan", "ik kan wel", "kan ik",
    "lukt wel", "ik ben erbij", "count me in", "I can", "can do", "no problem",
    "geen probleem", "geen punt", "no worries", "👍", "👍🏽", "👌", "✅", "✔️", "🙋‍♀️",
    "Ja, ik kom graag!", "Dat is goed, tot dan", "Yes, I'll be there",
]  # fmt: skip
NO = [
    "nee", "Nee.", "neee", "nee hoor", "nee helaas", "nee sorry", "neen", "no", "No!", "nope",
    "nah", "no thanks", "kan niet", "Ik kan niet", "ik kan helaas niet", "kan ik niet",
    "helaas niet", "Helaas, ik kan niet", "lukt niet", "lukt me niet", "gaat niet",
    "past niet", "liever niet", "deze keer niet", "sorry", "Sorry!", "helaas",
    "ik ben verhinderd", "ik ben op vakantie", "ik kom niet", "geen tijd",
    "I can't", "can't, sorry", "cannot", "unfortunately not", "not this time", "I'm busy",
    "👎", "❌", "🚫", "🙅", "Nee, ik kan niet 👎",
]  # fmt: skip
UNCLEAR = [
    "niet goed",  # a negated yes is not a yes
    "not ok",
    "nee hoor, ik kan wel",  # mixed signals
    "ja, maar ik kan niet",
    "ja maar pas om acht uur",  # a hedge
    "yes but only after 8",
    "ja, tenzij het regent",
    "misschien",
    "maybe",
    "weet ik nog niet",
    "Ik weet het niet",
    "geen idee",
    "not sure",
    "ik laat het later weten",
    "ja?",  # a question back
    "kan ik het morgen laten weten?",
    "👍👎",
    "✅ ❌",
    "ok, niet",
]
NONE = ["hoi", "Hallo!", "waar is het?", "wanneer begint het", "moestuin", "", "   ", "🌷", "123"]


@pytest.mark.parametrize("text", YES)
def test_yes_like_answers_are_yes(text: str) -> None:
    assert classify(text) is Intent.YES


@pytest.mark.parametrize("text", NO)
def test_no_like_answers_are_no(text: str) -> None:
    assert classify(text) is Intent.NO


@pytest.mark.parametrize("text", UNCLEAR)
def test_mixed_negated_hedged_or_doubtful_answers_are_unclear(text: str) -> None:
    assert classify(text) is Intent.UNCLEAR


@pytest.mark.parametrize("text", NONE)
def test_messages_without_an_answer_are_none(text: str) -> None:
    assert classify(text) is Intent.NONE


def test_normalising_drops_case_accents_punctuation_and_stretching() -> None:
    assert normalise("Oké!!  JAAA, prima…") == ["oke", "ja", "prima"]
    assert normalise("I can't 👍🏾") == ["i", "cant", "emojiyes"]


def _judged() -> list[tuple[str, str]]:
    path = Path(__file__).parent / "data" / "facilitator_replies.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, expected = line.split("\t")
            rows.append((text, expected))
    return rows


def test_the_judged_replies_are_never_guessed_wrong() -> None:
    """The promise is "never a guess": over the judged corpus, no reply is read as yes or no
    when it means the other or is unclear; clear answers are understood (at least 90 %), the
    rest is asked back."""
    rows = _judged()
    assert len(rows) >= 400
    wrong = [
        (text, expected, classify(text).value)
        for text, expected in rows
        if classify(text).value in ("yes", "no") and classify(text).value != expected
    ]
    assert wrong == []
    clear = [(text, expected) for text, expected in rows if expected in ("yes", "no")]
    understood = sum(classify(text).value == expected for text, expected in clear)
    assert understood / len(clear) >= 0.9


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("waarom niet", Intent.YES),
        ("why not!", Intent.YES),
        ("ik zou niet weten waarom niet", Intent.YES),
        ("I can't say no to that", Intent.YES),
        ("ik moet nee zeggen", Intent.NO),
        ("nee, ik moet nee zeggen", Intent.NO),
        ("waarschijnlijk niet", Intent.UNCLEAR),
        ("probably", Intent.UNCLEAR),
        ("ja als het niet regent", Intent.UNCLEAR),
        ("if I can find a sitter, yes", Intent.UNCLEAR),
        ("ik kan nie", Intent.NO),  # "niet" as spoken and Flemish, and its typos
        ("lukt me neit", Intent.NO),
        ("nie goed", Intent.UNCLEAR),
        ("volgende keer graag!", Intent.NO),  # a polite no, though it says "graag"
        ("Ik kan alleen het eerste uur", Intent.UNCLEAR),
        ("daar kan ik geen nee tegen zeggen", Intent.YES),
        ("Ik kan niet wachten!", Intent.YES),
        ("I can't wait!", Intent.YES),
        ("ik ben niet bezet", Intent.UNCLEAR),  # a negated reason not to come is no "no"
        ("I am not busy that evening", Intent.UNCLEAR),
    ],
)
def test_idioms_double_negations_hedges_and_conditions(text: str, intent: Intent) -> None:
    assert classify(text) is intent
