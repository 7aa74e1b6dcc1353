"""The Dutch and English catalogs are complete: every message in the code is translated in both,
with the same placeholders, and nothing is left fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "__": None, "N_": None, "gettext": None}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _messages_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "handlers", "scheduler"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_message_in_the_code_is_translated(locale: str) -> None:
    catalog = _catalog(locale)
    missing = sorted(m for m in _messages_in_code() if m not in catalog or not catalog[m].string)
    assert missing == [], f"untranslated in {locale} (run `make locales` and fill them in)"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_translations_keep_the_placeholders_and_are_not_fuzzy(locale: str) -> None:
    for message in _catalog(locale):
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy translation in {locale}: {message.id!r}"
        source = sorted(PLACEHOLDER.findall(str(message.id)))
        target = sorted(PLACEHOLDER.findall(str(message.string)))
        assert source == target, f"placeholders differ in {locale}: {message.id!r}"


def test_dutch_is_informal() -> None:
    formal = re.compile(r"\b(u|uw|U|Uw)\b")
    offenders = [m.id for m in _catalog("nl") if m.id and formal.search(str(m.string))]
    assert offenders == [], "Dutch texts use 'je', not 'u'"


# One word for one thing: the variants a resident stumbled over, and the word used instead.
DUTCH_VARIANTS = {
    "Dankjewel": "Dank je wel",
    "Bedankt": "Dank je wel",
    "thema’s": "thema's",
    "bewerker": "lid",
    "Vraag het initiatieven": "Vraag andere initiatieven",
    "Nodig certificaat": "Certificaat nodig",
    "aantal mensen:": "personen",
}


def test_dutch_keeps_one_word_for_one_thing() -> None:
    offenders = [
        (variant, m.id)
        for m in _catalog("nl")
        for variant in DUTCH_VARIANTS
        if m.id and variant in " ".join(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert offenders == [], f"use {[DUTCH_VARIANTS[v] for v, _id in offenders]}"
