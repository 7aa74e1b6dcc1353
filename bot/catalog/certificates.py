"""How long a certificate counts after it was granted, per level (CERTIFICATE_VALIDITY_DAYS).
A lapsed certificate no longer qualifies for tables; a new training of that level renews it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

DEFAULT_VALIDITY_DAYS: dict[str, int] = {"basis": 3 * 365, "kinder": 3 * 365, "spannend": 2 * 365}
# Facilitators hear this long before a certificate lapses, with the next training to renew it.
RENEWAL_NOTICE = timedelta(days=60)

_validity_days: dict[str, int] = dict(DEFAULT_VALIDITY_DAYS)


def configure(days: Mapping[str, int]) -> None:
    """The validity per level from the settings (levels not named keep their default)."""
    _validity_days.clear()
    _validity_days.update(DEFAULT_VALIDITY_DAYS)
    _validity_days.update(days)


def validity(level: str) -> timedelta:
    return timedelta(days=_validity_days.get(level, DEFAULT_VALIDITY_DAYS["basis"]))


def valid_until(level: str, granted_at: datetime) -> datetime:
    return granted_at + validity(level)


def granted_after(level: str, moment: datetime) -> datetime:
    """A certificate of `level` still counts at `moment` when granted after this."""
    return moment - validity(level)
