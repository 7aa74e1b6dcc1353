"""Translations: gettext catalogs compiled in memory from the `.po` files at start.

Compiling at load time means a stale `.mo` file can never be used. Message ids are English;
Dutch is the default language of the bot.
"""

from __future__ import annotations

import gettext as gnu_gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from aiogram.utils.i18n import I18n, gettext, lazy_gettext
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

__ = lazy_gettext
__all__ = [
    "N_",
    "CatalogI18n",
    "_",
    "__",
    "create_i18n",
    "ngettext",
    "pick_locale",
    "speaking",
]


# The catalog of the language being spoken (see `speaking`), for `_` and `ngettext` to read
# directly: a text is translated some forty times in one answer, and aiogram's way (the I18n
# instance of the context, its locale, then the catalog) costs six times the lookup itself.
_spoken: ContextVar[gnu_gettext.NullTranslations | None] = ContextVar("spoken", default=None)


def _(message: str) -> str:
    """`message` in the language being spoken."""
    catalog = _spoken.get()
    return gettext(message) if catalog is None else catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """A text with a count, in the current language's plural form for `n`."""
    catalog = _spoken.get()
    if catalog is None:
        return gettext(singular, plural, n)
    return catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message


class CatalogI18n(I18n):
    """aiogram's I18n, reading `.po` catalogs directly instead of compiled `.mo` files."""

    def find_locales(self) -> dict[str, gnu_gettext.GNUTranslations]:
        translations: dict[str, gnu_gettext.GNUTranslations] = {}
        for locale in SUPPORTED_LOCALES:
            po_path = self.path / locale / "LC_MESSAGES" / f"{self.domain}.po"
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=locale)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            translations[locale] = gnu_gettext.GNUTranslations(buffer)
        return translations


def create_i18n(default_locale: str) -> CatalogI18n:
    return CatalogI18n(path=LOCALES_DIR, default_locale=default_locale, domain=DOMAIN)


def pick_locale(chosen: str | None, telegram_language: str | None, default: str) -> str:
    """The user's own choice, else Telegram's language when we speak it, else the default."""
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_language:
        base = telegram_language.split("-")[0].lower()
        if base in SUPPORTED_LOCALES:
            return base
    return default


@contextmanager
def speaking(i18n: I18n, locale: str) -> Iterator[None]:
    """Within the block, `_()` translates with `i18n` into `locale` (a language without a
    catalog: the English message ids, as aiogram does)."""
    # aiogram's `_` looks the instance up on I18n itself, not on a subclass.
    token = I18n.set_current(i18n)
    spoken = _spoken.set(i18n.locales.get(locale, gnu_gettext.NullTranslations()))
    try:
        with i18n.use_locale(locale):
            yield
    finally:
        _spoken.reset(spoken)
        I18n.reset_current(token)
