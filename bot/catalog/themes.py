"""The twenty themes of Samenspel: slugs with their Dutch and English labels.

Menus, cards and services import :data:`THEMES`; the search engine reads the label words to
recognise a theme in a query (``bot.search.themes``).
"""

from __future__ import annotations

from dataclasses import dataclass


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
