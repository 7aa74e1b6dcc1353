"""Messages of the coordinator tools: a broadcast as its recipients get it, the delivery
report for the coordinator, and "your role changed"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from bot.i18n import _
from bot.keyboards.coordination import broadcast_markup
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.coordination.broadcast_progress import Outcome, outcome
from bot.services.coordination.broadcasts import KIND, REPORT_KIND
from bot.services.message_params import BroadcastParams, RoleParams
from bot.views.dates import format_time
from storage.models import Role


def number(value: int, locale: str) -> str:
    """1240 → "1.240" in Dutch, "1,240" in English."""
    return format_decimal(value, locale=locale)


@message_kind(KIND)
async def render_broadcast(ctx: RenderContext, params: BroadcastParams) -> Rendered | None:
    """The coordinator's HTML unchanged, with its button; nothing for people who opted out."""
    broadcast = await ctx.repo.broadcasts.get(int(params["broadcast_id"]))
    if broadcast is None:
        return None
    if ctx.recipient is not None and ctx.recipient.announcements_stopped_at is not None:
        return None  # recorded as skipped; the report counts it as "opted out"
    return Rendered(broadcast.text, broadcast_markup(broadcast))


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


@message_kind(REPORT_KIND, urgent=True)
async def render_report(ctx: RenderContext, params: BroadcastParams) -> Rendered | None:
    """The final report for the coordinator who sent the broadcast."""
    broadcast_id = int(params["broadcast_id"])
    broadcast = await ctx.repo.broadcasts.get(broadcast_id)
    if broadcast is None:
        return None
    state = await outcome(ctx.repo, broadcast_id)
    return Rendered(report_text(broadcast_id, broadcast.recipients, state, ctx.locale))


@message_kind("role.changed", urgent=True)
async def render_role_changed(ctx: RenderContext, params: RoleParams) -> Rendered | None:
    """Tells someone their new role and what it means."""
    role = params.get("role")
    if role == Role.COORDINATOR:
        text = _(
            "You are now a <b>coordinator</b> of Samenspel. Your extra commands are in the "
            "menu (/broadcast, /stats, /export, /role, /log)."
        )
    elif role == Role.FACILITATOR:
        text = _("You are now a <b>facilitator</b>. You can be asked to lead dialogue tables.")
    else:
        text = _("Your role in Samenspel is now <b>resident</b>.")
    return Rendered(text)
