"""Messages of the coordinator tools: a broadcast as its recipients get it, the delivery
report for the coordinator (its text is a view), and "your role changed"."""

from __future__ import annotations

from bot.i18n import _
from bot.keyboards.coordination import broadcast_markup
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.coordination.broadcast_progress import outcome
from bot.services.coordination.broadcasts import KIND, REPORT_KIND
from bot.services.message_params import BroadcastParams, RoleParams
from bot.views.broadcast_progress import report_text
from storage.models import Role


@message_kind(KIND)
async def render_broadcast(ctx: RenderContext, params: BroadcastParams) -> Rendered | None:
    """The coordinator's HTML unchanged, with its button; nothing for people who opted out."""
    broadcast = await ctx.repo.broadcasts.get(int(params["broadcast_id"]))
    if broadcast is None:
        return None
    if ctx.recipient is not None and ctx.recipient.announcements_stopped_at is not None:
        return None  # recorded as skipped; the report counts it as "opted out"
    return Rendered(broadcast.text, broadcast_markup(broadcast))


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
