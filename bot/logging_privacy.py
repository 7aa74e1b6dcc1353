"""Telegram ids in logs only as pseudonyms: a keyed hash that lets one log be followed per
person without saying who they are. The key is random per process and never written down,
so a pseudonym cannot be turned back into an id, not even by us."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_KEY = secrets.token_bytes(16)


def pseudonym(user_id: int | None) -> str:
    """`p-` and ten hex digits for a Telegram id; `-` when there is none."""
    if user_id is None:
        return "-"
    digest = hmac.new(_KEY, str(user_id).encode(), hashlib.sha256).hexdigest()
    return f"p-{digest[:10]}"
