"""Numbers as people of the language read them."""

from __future__ import annotations

from babel.numbers import format_decimal


def number(value: int, locale: str) -> str:
    """1240 → "1.240" in Dutch, "1,240" in English."""
    return format_decimal(value, locale=locale)
