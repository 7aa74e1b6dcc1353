"""The twenty themes of Samenspel: slugs with their Dutch and English labels.

Other parts of the app import :data:`THEMES` for menus and cards; the search uses the
label words to recognise a theme in a query (``armoede``, ``poverty``, ``natuur``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import tokens


@dataclass(frozen=True, slots=True)
class ThemeLabel:
    nl: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language.lower().startswith("en") else self.nl


THEMES: dict[str, ThemeLabel] = {
    "eenzaamheid": ThemeLabel("Eenzaamheid", "Loneliness"),
    "armoede": ThemeLabel("Armoede", "Poverty"),
    "burgerparticipatie": ThemeLabel("Burgerparticipatie", "Civic participation"),
    "leefbaarheid": ThemeLabel("Leefbaarheid", "Liveability"),
    "gezondheid": ThemeLabel("Gezondheid", "Health"),
    "informele-zorg": ThemeLabel("Informele zorg", "Informal care"),
    "wonen": ThemeLabel("Wonen", "Housing"),
    "duurzaamheid": ThemeLabel("Duurzaamheid", "Sustainability"),
    "natuur-en-groen": ThemeLabel("Natuur en groen", "Nature and green spaces"),
    "jongeren": ThemeLabel("Jongeren", "Young people"),
    "ouderen": ThemeLabel("Ouderen", "Older people"),
    "kinderen": ThemeLabel("Kinderen", "Children"),
    "nieuwkomers": ThemeLabel("Nieuwkomers", "Newcomers"),
    "taal": ThemeLabel("Taal", "Language"),
    "cultuur": ThemeLabel("Cultuur", "Culture"),
    "sport-en-bewegen": ThemeLabel("Sport en bewegen", "Sports and exercise"),
    "voedsel": ThemeLabel("Voedsel", "Food"),
    "veiligheid": ThemeLabel("Veiligheid", "Safety"),
    "dialoog": ThemeLabel("Dialoog", "Dialogue"),
    "werk-en-scholing": ThemeLabel("Werk en scholing", "Work and education"),
}

THEME_SLUGS: tuple[str, ...] = tuple(THEMES)

# Label words too general to stand for a theme on their own.
_WEAK_LABEL_WORDS = frozenset({"en", "and", "spaces", "older", "young", "people", "informal"})


def theme_label_words() -> dict[str, set[str]]:
    """Folded label words (Dutch and English) mapped to the theme slugs they name."""
    result: dict[str, set[str]] = {}
    for slug, label in THEMES.items():
        names = {label.nl, label.en, slug.replace("-", " ")}
        for name in names:
            for token in tokens(name):
                if token not in _WEAK_LABEL_WORDS:
                    result.setdefault(token, set()).add(slug)
    return result


def theme_term(slug: str) -> str:
    """The index term under which initiatives with theme ``slug`` are filed."""
    return f"#{slug}"
