"""Texts of the coordinators' tools that more than one place shows."""

from __future__ import annotations

import html
import json
from datetime import tzinfo

from bot.i18n import _
from bot.services.coordination.audit import LogPage, person_in
from storage.models import Initiative, User


def role_usage() -> str:
    return _(
        "Type who and which role, for example:\n"
        "<code>/role @fatima facilitator</code>\n"
        "<code>/role 12345678 coordinator</code>\n"
        "<code>/role @kees resident</code>\n"
        "Or reply to a forwarded message of that person with <code>/role facilitator</code>."
    )


def person_label(user: User) -> str:
    """ "Fatima Yilmaz (@fatima)": how a coordinator recognises someone."""
    name = " ".join(part for part in (user.first_name, user.last_name) if part) or str(user.id)
    return f"{name} (@{user.username})" if user.username else name


def audit_text(page: LogPage, tz: tzinfo) -> str:
    """The newest audit entries as one message (within Telegram's length), with a footer.
    People who still exist are shown by name; the system (jobs, the command line) as "–"."""
    lines = [_("🗒 <b>Log</b> (newest first)")]
    for entry in page.entries:
        details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        actor = page.people.get(entry.actor_id) if entry.actor_id is not None else None
        target_id = person_in(entry.target)
        target = page.people.get(target_id) if target_id is not None else None
        lines.append(
            "{when} · {actor} · <b>{action}</b> · {target}{details}".format(
                when=entry.at.astimezone(tz).strftime("%d-%m %H:%M"),
                actor=html.escape(person_label(actor))
                if actor is not None
                else (entry.actor_id if entry.actor_id is not None else "–"),
                action=html.escape(entry.action),
                target=html.escape(person_label(target) if target else entry.target),
                details=f" · <code>{html.escape(details[:200], quote=False)}</code>"
                if entry.details
                else "",
            )
        )
    footer = _("The whole log: /export audit")
    while len("\n".join([*lines, footer])) > 4000:  # one Telegram message
        lines.pop()
    return "\n".join([*lines, footer])


def moderated_text(initiative: Initiative, *, hidden: bool) -> str:
    """After /verberg or /toon: the initiative's state now."""
    if hidden:
        text = _("🚫 <b>{name}</b> (#{number}) is hidden. Its members have been told.")
    elif initiative.is_published:
        text = _("✅ <b>{name}</b> (#{number}) can be found again.")
    else:
        text = _(
            "<b>{name}</b> (#{number}) is no longer hidden, but not published: "
            "its members haven't agreed to publish it."
        )
    return text.format(name=html.escape(initiative.name), number=initiative.id)
