"""A compact Dutch stemmer for search, in the spirit of the Snowball rules.

It maps inflected forms onto one search key, so that a query and a text meet:
plurals (``moestuinen``, ``buurtkamers``, ``opa's``), diminutives (``tuintjes``,
``taalmaatje``, ``spelletjes``, ``boompje``), adjective endings (``eenzame``), ``-ing`` and
``-heid`` derivations (``wandelingen`` → ``wandel``, ``eenzaamheid`` → ``eenzam``) and
spelling changes (``straten``/``straat``, ``bakken``/``bak``). The key is not always a real
word; only equality matters. Input must already be folded (see :mod:`.normalize`).
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiouy")
_LONG_VOWELS = ("aa", "ee", "oo", "uu")
_ES_SINGULAR = ("les", "dres", "gres", "cces", "ces", "nes", "des")

# Forms the rules would get wrong, or where two meanings must stay apart
# (``ouderen`` are elderly people, ``ouders`` are parents).
_EXCEPTIONS: dict[str, str] = {
    "ouderen": "oudere",
    "kinderen": "kind",
    "kinder": "kind",
    "kindje": "kind",
    "kindjes": "kind",
    "eieren": "ei",
    "liederen": "lied",
    "bladeren": "blad",
    "volkeren": "volk",
    "goederen": "goed",
    "steden": "stad",
    "schepen": "schip",
    "dagen": "dag",
    "wegen": "weg",
    "paden": "pad",
    "gaten": "gat",
    "vaten": "vat",
    "glazen": "glas",
    "vrijwilligster": "vrijwilliger",
    "vrijwilligsters": "vrijwilliger",
    "meisje": "meisje",
    "meisjes": "meisje",
    "mensen": "mens",
    "jongens": "jongen",
    "jongen": "jongen",
    "thuis": "thuis",
    "gratis": "gratis",
    "samen": "samen",
    "alleen": "alleen",
    "ideeen": "idee",
}


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


def _is_consonant(ch: str) -> bool:
    return ch.isalpha() and ch not in _VOWELS


def _strip_diminutive(word: str) -> str | None:
    if word.endswith("s") and word[:-1].endswith("je"):
        word = word[:-1]
    if not word.endswith("je") or len(word) < 5:
        return None
    if word.endswith("etje") and len(word) >= 7:
        base = word[:-4]
        if len(base) >= 2 and base[-1] == base[-2] and _is_consonant(base[-1]):
            return base[:-1]
        if base.endswith("ing") or base[-1] in "lmnr":
            return base
    if word.endswith("pje") and word[-4:-3] == "m":
        return word[:-3]
    if word.endswith("tje"):
        before = word[:-3]
        last = before[-1]
        if last in "lnrw" and len(before) >= 3:
            prev = before[-3:-1]
            short_vowel = prev[-1] in _VOWELS and prev[0] not in _VOWELS and prev[-1] != "e"
            if short_vowel and last in "nr":
                return word[:-2]  # puntje, plantje, kwartje
            return before  # tuintje, stoeltje, tafeltje, uurtje
        return word[:-2]  # maatje, feestje, ritje
    return word[:-2]  # huisje, boekje, hapje


def _strip_plural(word: str) -> tuple[str, bool]:
    if word.endswith("heden") and len(word) > 8:
        return word[:-5] + "heid", True
    if word.endswith("ingen") and len(word) > 7:
        return word[:-2], True
    if word.endswith(("ches", "shes")) and len(word) > 6:
        return word[:-2], True
    if word.endswith("en") and len(word) >= 5 and _is_consonant(word[-3]):
        return word[:-2], True
    if word.endswith("s") and len(word) >= 5:
        before = word[-2]
        if _is_consonant(before) and before not in "sj":
            return word[:-1], True
    if word.endswith("s") and len(word) >= 4:
        before = word[-2]
        if before in "ao" and _is_consonant(word[-3]):
            return word[:-1], True  # opa's, auto's
        if word.endswith("ies") or (
            word.endswith("es") and _is_consonant(word[-3]) and not word.endswith(_ES_SINGULAR)
        ):
            return word[:-1], True  # reparaties, routes, cafes
    return word, False


def _strip_derivation(word: str) -> str:
    if word.endswith("heid") and len(word) >= 8:
        return word[:-4]
    if word.endswith("ing") and len(word) >= 7 and _is_consonant(word[-4]):
        return word[:-3]
    return word


def _tidy(word: str) -> str:
    """Undouble a final consonant and shorten a long vowel before one final consonant."""
    if len(word) >= 4 and word[-1] == word[-2] and _is_consonant(word[-1]):
        word = word[:-1]
    if (
        len(word) >= 4
        and _is_consonant(word[-1])
        and word[-3:-1] in _LONG_VOWELS
        and word[-4] not in _VOWELS
    ):
        word = word[:-2] + word[-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the search key of one folded word."""
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    if len(word) <= 3 or word.isdigit():
        return word
    diminutive = _strip_diminutive(word)
    if diminutive is not None and len(diminutive) >= 3 and _has_vowel(diminutive):
        if diminutive in _EXCEPTIONS:
            return _EXCEPTIONS[diminutive]
        return _tidy(_strip_derivation(diminutive))
    result, changed = _strip_plural(word)
    if changed and result in _EXCEPTIONS:
        return _EXCEPTIONS[result]
    if result.endswith("e") and len(result) >= 5 and _is_consonant(result[-2]):
        result = result[:-1]
    result = _strip_derivation(result)
    if len(result) < 3 or not _has_vowel(result):
        return word
    return _tidy(result)
