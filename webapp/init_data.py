"""Who opened the Mini App: Telegram signs the launch data (`initData`) with the bot's token.
Only a valid signature that is not too old identifies a person; anything else is read-only."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram.utils.web_app import WebAppUser, safe_parse_webapp_init_data


def verified_user(
    init_data: str, *, token: str | None, now: datetime, max_age: timedelta
) -> WebAppUser | None:
    """The person in signed launch data; None when it is missing, forged, expired or has no
    user (then the page only shows, it changes nothing)."""
    if not init_data or not token:
        return None
    try:
        parsed = safe_parse_webapp_init_data(token, init_data)
    except ValueError:
        return None
    signed_at = parsed.auth_date
    if signed_at.tzinfo is None:
        return None
    if not timedelta(seconds=-60) <= now - signed_at <= max_age:
        return None
    return parsed.user
