"""Reading a facilitator's free answer: yes, no, unclear (ask back) or not an answer at all —
in Dutch, English and emoji, with stretched letters, diacritics, negation and mixed signals."""

from __future__ import annotations

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
