"""Texts of the coordinators' tools that more than one place shows."""

from __future__ import annotations

from bot.i18n import _


def role_usage() -> str:
    return _(
        "Type who and which role, for example:\n"
        "<code>/rol @fatima facilitator</code>\n"
        "<code>/rol 12345678 coordinator</code>\n"
        "<code>/rol @kees resident</code>\n"
        "Or reply to a forwarded message of that person with <code>/rol facilitator</code>."
    )
