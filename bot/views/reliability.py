"""How the reliability record reads: for the person (/mijnstatus), the friendly word after a
second late cancellation, and the coordinator's answer to /vergeef."""

from __future__ import annotations

import html
from datetime import tzinfo

from bot.dates import format_day
from bot.i18n import _, ngettext
from bot.services.events.record import Record, waits_first
from storage.models import User


def _counts(record: Record) -> list[str]:
    return [
        ngettext(
            "{count} late cancellation", "{count} late cancellations", record.late_cancellations
        ).format(count=record.late_cancellations),
        ngettext(
            "{count} time not come without cancelling",
            "{count} times not come without cancelling",
            record.no_shows,
        ).format(count=record.no_shows),
    ]


def record_text(record: Record, locale: str, tz: tzinfo) -> str:
    lines = ["📋 <b>" + _("Your record of the last 12 months") + "</b>", ""]
    lines += ["• " + line for line in _counts(record)]
    lines.append("")
    if record.clean:
        lines.append(_("All fine: thank you for cancelling in time! 👍"))
    else:
        lines.append(
            _(
                "How to improve it: cancel as early as you can when you can't come, with "
                "❌ Cancel on the event's card or No to “Are you still coming?”. Then someone "
                "from the waitlist gets your seat. Each one stops counting after 12 months."
            )
        )
    if waits_first(record):
        lines.append(
            _(
                "Because of the times you didn't come, your sign-ups for busy tables wait "
                "first on the waitlist for now. Two days before the start, the seats that are "
                "left are offered to the whole waitlist, so you still have every chance."
            )
        )
    if record.forgiven_at is not None:
        lines.append(
            _("A coordinator set your record to zero on {date}.").format(
                date=format_day(record.forgiven_at, locale, tz)
            )
        )
    lines += ["", _("Nobody is ever kept out because of this record.")]
    return "\n".join(lines)


def friendly_word() -> str:
    return _(
        "🙂 This is your second late cancellation this year. That happens to everyone! Could "
        "you cancel a bit earlier next time? Then someone from the waitlist can still get your "
        "seat. You can see your record with /mystatus."
    )


def forgiven_text(person: User, before: Record) -> str:
    name = html.escape(person.first_name)
    was = ", ".join(_counts(before))
    return _(
        "📋 The record of {name} is back at zero (it was: {was}). {name} has been told."
    ).format(name=name, was=was)


def forgive_usage() -> str:
    return _("Use: /forgive followed by a Telegram id or @username, for example /forgive @anna")


def unknown_person(who: str) -> str:
    return _(
        "I don't know {who}. Use their @username or their Telegram number; they must have "
        "started the bot once."
    ).format(who=html.escape(who))
