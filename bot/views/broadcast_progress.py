"""What a coordinator sees of a broadcast under way: the progress message (sending, waiting for
the quiet hours, done) and the delivery report."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dates import format_time
from bot.i18n import _
from bot.services.coordination.broadcast_progress import Outcome
from bot.views.numbers import number


def progress_text(settled: int, total: int, locale: str) -> str:
    return _("📣 Sending… {done} / {total} sent").format(
        done=number(settled, locale), total=number(total, locale)
    )


def waiting_text(total: int, starts: str, locale: str) -> str:
    """A broadcast sent "after quiet hours" while they last: when it will start."""
    return _(
        "📣 Waiting for the quiet hours to end: sending starts at {time}. 0 / {total} sent"
    ).format(time=starts, total=number(total, locale))


def started_text(total: int, quiet_until: datetime | None, tz: ZoneInfo, locale: str) -> str:
    """The progress message as a broadcast starts: sending, or waiting for the quiet hours to
    end (`quiet_until`)."""
    if quiet_until is not None:
        return waiting_text(total, format_time(quiet_until, tz), locale)
    return progress_text(0, total, locale)


def finished_text(delivered: int, not_delivered: int, skipped: int, locale: str) -> str:
    """The end of the progress message: what was delivered, and what was not."""
    parts = [_("{count} delivered").format(count=number(delivered, locale))]
    if not_delivered:
        parts.append(_("{count} not delivered").format(count=number(not_delivered, locale)))
    if skipped:
        parts.append(_("{count} skipped").format(count=number(skipped, locale)))
    return _("📣 Done: {outcome}. The report follows.").format(outcome=", ".join(parts))


def report_text(broadcast_id: int, total: int, state: Outcome, locale: str) -> str:
    def reasons(counts: dict[str, int]) -> str:
        if not counts:
            return ""
        labels = {"opted out": _("opted out"), "unreachable": _("unreachable")}
        parts = [
            f"{labels.get(reason, reason)}: {number(count, locale)}"
            for reason, count in sorted(counts.items(), key=lambda item: -item[1])
        ]
        return " (" + ", ".join(parts) + ")"

    return "\n".join(
        [
            _("📣 <b>Report of announcement #{number}</b>").format(number=broadcast_id),
            _("Recipients: {count}").format(count=number(total, locale)),
            _("✅ Delivered: {count}").format(count=number(state.delivered, locale)),
            _("🚫 Blocked the bot: {count}").format(count=number(state.blocked, locale)),
            _("⚠️ Failed: {count}").format(count=number(state.failed_count, locale))
            + reasons(state.failed),
            _("⏭ Skipped: {count}").format(count=number(state.skipped_count, locale))
            + reasons(state.skipped),
        ]
    )
