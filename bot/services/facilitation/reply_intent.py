"""What a facilitator's free-text answer means: yes, no, unclear, or nothing to do with it.

Pure functions, Dutch and English. The text is normalised (case, diacritics, punctuation,
stretched letters such as "jaaa", emoji), then scanned for known phrases, longest first.
The rule is: never guess. Mixed signals ("nee hoor, ik kan wel"), a negated yes ("niet goed"),
a hedge ("ja, maar …"), doubt ("misschien") or a question mark make the answer UNCLEAR, and the
bot asks back.
"""

from __future__ import annotations

import enum
import re
import unicodedata


class Intent(enum.StrEnum):
    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"  # a signal, but not a clear one: ask back
    NONE = "none"  # nothing that answers a yes/no question


_YES_EMOJI = "👍👌✅✔☑🙋💪🆗🤝🙌"
_NO_EMOJI = "👎❌🚫⛔🙅✖"
# Skin tones, variation selectors and joiners carry no meaning here.
_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d]")

_YES = """
ja | jazeker | jawel | ja hoor | ja graag | ja prima | ja hoor prima | ja zeker | jep | jup | jes
yes | yep | yup | yeah | yea | sure | of course | yes please | sure thing | absolutely
definitely | certainly | alright | all right | fine | great | perfect | sounds good | count me in
ok | oke | okay | okey | okidoki | okido | prima | goed | is goed | komt goed | top | super
prima hoor | klinkt goed | doe ik | doe ik graag | ik doe het | ik doe t | doe maar | graag
met plezier | met alle plezier | zeker | zeker weten | tuurlijk | natuurlijk | uiteraard
akkoord | afgesproken | deal | geregeld | kan ik | ik kan | kan wel | ik kan wel | lukt wel
dat lukt | lukt | ik kom | ik ben erbij | ben erbij | ik ben er | ben er | ik neem hem
ik neem m | ik neem het | i can | can do | i will | i will do it | ill do it | ill be there
no problem | not a problem | no worries | geen probleem | geen punt | geen enkel probleem
waarom niet | why not | zou niet weten waarom niet | ik zou niet weten waarom niet
dont see why not | i dont see why not | zie niet waarom niet | niet nee | not no
dat laat ik me geen twee keer zeggen | laat ik me geen twee keer zeggen | zeker wel
wis en waarachtig | waarom ook niet | oki | okej | goe | is goe | dat is goe | in orde
ik ben der bij | ben der bij | op mij rekenen | op me rekenen | ik zal er zijn | zal er zijn
ik ga komen | ga komen | ik kom graag | i come | i am coming | im coming | ill come
i will come | with pleasure | happy to | id love to | love to | np | no span
kan niet wachten | ik kan niet wachten | cant wait | i cant wait | can not wait
mi o kon | mi o de | mi e kon
ik ben van de partij | van de partij | reken maar | reken op mij | count on me | im in | i am in
emojiyes
"""
_NO = """
nee | neen | ne | nee hoor | nee helaas | nee sorry | nee dank je | nee bedankt | no | nope | nah
no thanks | no sorry | sorry | helaas | helaas niet | liever niet | kan niet | ik kan niet
kan helaas niet | ik kan helaas niet | kan ik niet | lukt niet | lukt me niet | lukt helaas niet
dat lukt niet | ik kom niet | kom niet | ben er niet bij | ik ben er niet bij
gaat niet | gaat helaas niet | dat gaat niet | past niet | past me niet
past helaas niet | doe ik niet | ik doe het niet | niet | nooit | deze keer niet | ik pas | pas
ik ben verhinderd | ben verhinderd | verhinderd | ik ben er niet | ben er niet | geen tijd
niet beschikbaar | afwezig | op vakantie | cant | cannot | can not | i cant | i cannot
unfortunately not | unfortunately | not this time | i wont | i will not | not available
unavailable | busy
im busy | no time | im away | pass | i pass | no can do | volgende keer | een volgende keer
volgende keer graag | een volgende keer graag | andere keer | een andere keer | next time
maybe next time | another time | some other time | niks voor mij | niets voor mij
not for me | bezet | al bezet | heb dan al wat | ik heb dan al wat | sla ik over | sla over
sla deze over | ik sla deze over | afzeggen | moet afzeggen | zeg af | ik zeg af | moet werken
ik moet werken | have to work | i have to work | ziek | ik ben ziek | on holiday | im on holiday
kan echt niet | ik kan echt niet | kan er niet bij zijn | ik kan er niet bij zijn
kan er helaas niet bij zijn | ik kan er helaas niet bij zijn | het lukt me niet
lukt me deze keer niet | het lukt me deze keer niet | gaat niet lukken | gaat me niet lukken
gaat helaas niet lukken | red ik niet | dat red ik niet | ga ik niet redden | ga niet kunnen
ik ga niet kunnen | kan er nie zijn | ik kan er nie zijn | i can not | can not come
i can not come | mi no kan | mi no man
emojino
"""
_NEGATORS = "niet | geen | not | dont | never | nooit | no"
_HEDGES = """
maar | but | alleen als | only if | tenzij | unless | behalve | except | wel als | als | if
mits | provided | zolang | as long as | op voorwaarde dat | alleen | only | just
"""
_UNSURE = """
misschien | wellicht | mogelijk | weet niet | weet ik niet | weet ik nog niet | geen idee
niet zeker | nog niet zeker | hangt ervan af | ligt eraan | even kijken | ik kijk even
weet het niet | ik weet het niet | weet het nog niet | ik weet het nog niet | nog niet
maybe | perhaps | not sure | im not sure | dont know | i dont know | no idea | depends
it depends | let me check | ill check | later | straks | laat ik weten | laat het weten
waarschijnlijk | waarschijnlijk niet | denk het wel | ik denk het wel | denk het niet
ik denk het niet | probably | probably not | i think so | i dont think so | ik denk van wel
ik denk van niet | vermoedelijk | zou kunnen | zou best kunnen | might | i might | might not
"""
# "say no" is a no, unless it is negated: "ik kan geen nee zeggen", "I can't say no to that".
_SAY_NO = "nee zeggen | nee te zeggen | say no | to say no | nee zeg | zeg nee | nee tegen zeggen"


def _squeeze(word: str) -> str:
    """Stretched letters count once: "jaaa" → "ja", "neee" → "ne", "okee" → "oke"."""
    return re.sub(r"(.)\1+", r"\1", word)


def normalise(text: str) -> list[str]:
    """Lower case, no diacritics, emoji as words, no punctuation, letters squeezed."""
    text = _MODIFIERS.sub("", unicodedata.normalize("NFKC", text))
    for emoji in _YES_EMOJI:
        text = text.replace(emoji, " emojiyes ")
    for emoji in _NO_EMOJI:
        text = text.replace(emoji, " emojino ")
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[’'`´]", "", text)  # can't → cant, 'k → k
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return [_squeeze(word) for word in text.split()]


# How "niet" is also written: spoken and Flemish "nie", and its common typos.
_NIET_AS_WRITTEN = ("nie", "neit", "nit")


def _table(source: str) -> dict[tuple[str, ...], str]:
    """Phrase (normalised words) → phrase; every phrase with "niet" also as "nie", "neit"
    and "nit" ("ik kan nie", "lukt me neit")."""
    table: dict[tuple[str, ...], str] = {}
    for line in source.strip().splitlines():
        for phrase in line.split("|"):
            if not phrase.strip():
                continue
            words = tuple(normalise(phrase))
            table[words] = phrase.strip()
            if "niet" in words:
                for spelling in _NIET_AS_WRITTEN:
                    table[tuple(spelling if w == "niet" else w for w in words)] = phrase.strip()
    return table


_CATEGORIES: dict[str, dict[tuple[str, ...], str]] = {
    "sayno": _table(_SAY_NO),
    "unsure": _table(_UNSURE),
    "yes": _table(_YES),
    "no": _table(_NO),
    "hedge": _table(_HEDGES),
    "neg": _table(_NEGATORS),
}
_LONGEST = max(len(phrase) for table in _CATEGORIES.values() for phrase in table)


def _scan(words: list[str]) -> list[tuple[str, int, int]]:
    """(category, first word, after last word) of every phrase found, longest match first."""
    found: list[tuple[str, int, int]] = []
    position = 0
    while position < len(words):
        for length in range(min(_LONGEST, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + length])
            category = next((c for c, table in _CATEGORIES.items() if phrase in table), None)
            if category is not None:
                found.append((category, position, position + length))
                position += length
                break
        else:
            position += 1
    return found


_ANSWER_WORDS = {("nee",), ("ne",), ("neen",), ("no",), ("nope",), ("nah",)}
_NEGATION_WORDS = {word for phrase in _CATEGORIES["neg"] for word in phrase}


def _read_saying_no(
    words: list[str], matches: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """ "nee zeggen" / "say no" is a no; right after a negation ("geen nee zeggen", "can't
    say no") it is a yes, and that negation is used up by it. A "nee" that answers on its own
    ("nee, ik moet nee zeggen") is no negation of it."""
    result: list[tuple[str, int, int]] = []
    for category, start, end in matches:
        if category != "sayno":
            result.append((category, start, end))
            continue
        before = [
            m
            for m in result
            if m[0] in ("neg", "no")
            and start - m[2] <= 2
            and tuple(words[m[1] : m[2]]) not in _ANSWER_WORDS
        ]
        if before:
            result.remove(before[-1])
            result.append(("yes", before[-1][1], end))
        else:
            result.append(("no", start, end))
    return result


def _negates(category: str, words: list[str]) -> bool:
    """A negation on its own ("niet", "not"), also where it was read as a no."""
    return category == "neg" or (
        category == "no" and all(word in _NEGATION_WORDS for word in words)
    )


def classify(text: str) -> Intent:
    """The intent of a free-text answer to "can you lead this table?"."""
    words = normalise(text)
    matches = _scan(words)
    if not matches:
        return Intent.NONE
    matches = _read_saying_no(words, matches)
    categories = [category for category, _start, _end in matches]
    # A yes right next to a negation ("niet goed", "goed niet", "not ok") is not a yes.
    negated_yes = any(
        category == "yes"
        and any(
            other == "neg" and (other_end == start or other_start == end)
            for other, other_start, other_end in matches
        )
        for category, start, end in matches
    )
    # So is a reason not to come after a negation ("niet bezet", "not busy", "niet ziek").
    negated_no = any(
        category == "no"
        and tuple(words[start:end]) not in _ANSWER_WORDS
        and not any(word in _NEGATION_WORDS for word in words[start:end])
        and any(
            _negates(other, words[other_start:other_end]) and other_end == start
            for other, other_start, other_end in matches
        )
        for category, start, end in matches
    )
    yes = "yes" in categories
    no = "no" in categories or ("neg" in categories and not negated_yes)
    if "unsure" in categories or negated_yes or negated_no:
        return Intent.UNCLEAR
    if yes and no:
        return Intent.UNCLEAR
    if not yes and not no:
        return Intent.NONE
    if "hedge" in categories or text.rstrip().endswith("?"):
        return Intent.UNCLEAR
    return Intent.YES if yes else Intent.NO
