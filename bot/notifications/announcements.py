"""Announcements: a text a coordinator wrote, delivered as written (it is not translated)."""

from __future__ import annotations

from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.message_params import AnnouncementParams


@message_kind("announcement")
async def render_announcement(ctx: RenderContext, params: AnnouncementParams) -> Rendered | None:
    """`params["text"]` is HTML the coordinator composed; it goes out unchanged."""
    text = params.get("text")
    return Rendered(str(text)) if text else None
