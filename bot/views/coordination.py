"""Texts of the coordinators' tools that more than one place shows."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import tzinfo

from bot.i18n import _
from storage.models import AuditEntry


def role_usage() -> str:
    return _(
        "Type who and which role, for example:\n"
        "<code>/rol @fatima facilitator</code>\n"
        "<code>/rol 12345678 coordinator</code>\n"
        "<code>/rol @kees resident</code>\n"
        "Or reply to a forwarded message of that person with <code>/rol facilitator</code>."
    )


def audit_text(entries: Sequence[AuditEntry], tz: tzinfo) -> str:
    """The newest audit entries as one message (within Telegram's length), with a footer."""
    lines = [_("🗒 <b>Log</b> (newest first)")]
    for entry in entries:
        details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        lines.append(
            "{when} · {actor} · <b>{action}</b> · {target}{details}".format(
                when=entry.at.astimezone(tz).strftime("%d-%m %H:%M"),
                actor=entry.actor_id if entry.actor_id is not None else "–",
                action=html.escape(entry.action),
                target=html.escape(entry.target),
                details=f" · <code>{html.escape(details[:200], quote=False)}</code>"
                if entry.details
                else "",
            )
        )
    footer = _("The whole log: /export audit")
    while len("\n".join([*lines, footer])) > 4000:  # one Telegram message
        lines.pop()
    return "\n".join([*lines, footer])
