"""Messages about initiatives, rendered at send time: "Klopt dit nog?" (freshness), a request
to join for the owners, the answer for the one who asked, and moderation news for members."""

from __future__ import annotations

import html
from datetime import timedelta

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import JoinRequestCallback
from bot.keyboards.initiative_card import freshness_keyboard
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.message_params import (
    FreshnessParams,
    JoinAnswerParams,
    JoinRequestParams,
    MemberJoinedParams,
    ModeratedParams,
    UnclaimedFreshnessParams,
)
from bot.views.initiative_card import card_text
from storage.models import Initiative

FRESHNESS = "initiative.freshness"
JOIN_REQUEST = "initiative.join_request"
JOIN_ANSWER = "initiative.join_answer"
MODERATED = "initiative.moderated"
MEMBER_JOINED = "initiative.member_joined"
UNCLAIMED = "initiative.freshness_unclaimed"


async def _for_member(ctx: RenderContext, initiative_id: int) -> Initiative | None:
    """The initiative, when the recipient is still one of its members."""
    initiative = await ctx.repo.initiatives.get(initiative_id)
    if initiative is None or ctx.recipient is None:
        return None
    if await ctx.repo.initiatives.member(initiative.id, ctx.recipient.id) is None:
        return None
    return initiative


@message_kind(FRESHNESS, grace=timedelta(days=14))
async def render_freshness(ctx: RenderContext, params: FreshnessParams) -> Rendered | None:
    initiative = await _for_member(ctx, params["initiative_id"])
    if initiative is None or not initiative.is_published:
        return None
    confirmed = initiative.last_confirmed_at
    if confirmed is not None and confirmed.date().isoformat() != params.get("confirmed"):
        return None  # someone confirmed or changed it since the nudge was planned
    text = _(
        "<b>Is this still right?</b>\n"
        "Twice a year we ask you to check the profile of your initiative, "
        "so people find the right information."
    )
    text += "\n\n" + card_text(initiative, ctx.locale, ctx.now)
    return Rendered(text, freshness_keyboard(initiative.id))


def _decision_keyboard(request_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ Accept"), callback_data=JoinRequestCallback(request_id=request_id, accept=True)
    )
    builder.button(
        text=_("❌ Decline"), callback_data=JoinRequestCallback(request_id=request_id, accept=False)
    )
    builder.adjust(2)
    return builder.as_markup()


@message_kind(JOIN_REQUEST)
async def render_join_request(ctx: RenderContext, params: JoinRequestParams) -> Rendered | None:
    request = await ctx.repo.initiatives.join_request(int(params["request_id"]))
    if request is None or request.decided_at is not None:
        return None
    initiative = await ctx.repo.initiatives.get(request.initiative_id)
    person = await ctx.repo.users.get(request.user_id)
    if initiative is None or person is None:
        return None
    who = html.escape(person.first_name)
    if person.username:
        who += f" (@{html.escape(person.username)})"
    text = _(
        "{who} says <b>{name}</b> is their initiative too and would like to help keep it up "
        "to date. Do you want to add them?"
    ).format(who=who, name=html.escape(initiative.name))
    return Rendered(text, _decision_keyboard(request.id))


@message_kind(JOIN_ANSWER)
async def render_join_answer(ctx: RenderContext, params: JoinAnswerParams) -> Rendered | None:
    initiative = await ctx.repo.initiatives.get(int(params["initiative_id"]))
    if initiative is None:
        return None
    name = html.escape(initiative.name)
    if params.get("accepted"):
        text = _("Good news: you can now keep <b>{name}</b> up to date. See /mine.")
    else:
        text = _("Your request to join <b>{name}</b> was not accepted.")
    return Rendered(text.format(name=name))


@message_kind(UNCLAIMED, grace=timedelta(days=14))
async def render_unclaimed(ctx: RenderContext, params: UnclaimedFreshnessParams) -> Rendered | None:
    initiative = await ctx.repo.initiatives.get(int(params["initiative_id"]))
    if initiative is None or not initiative.is_published or ctx.bot is None:
        return None
    confirmed = initiative.last_confirmed_at
    if confirmed is not None and confirmed.date().isoformat() != params.get("confirmed"):
        return None  # confirmed or claimed since
    if (await ctx.repo.initiatives.member_ids([initiative.id])).get(initiative.id):
        return None  # someone joined: they get the question themselves
    link = f"https://t.me/{(await ctx.bot.me()).username}?start=inv_{params['token']}"
    text = _(
        "<b>Is this still right?</b> Nobody of <b>{name}</b> uses Samenspel yet, so I can't "
        "ask them. Forward them this link: whoever opens it can keep the profile up to date "
        "and gets this question from then on.\n{link}"
    ).format(name=html.escape(initiative.name), link=link)
    text += "\n\n" + card_text(initiative, ctx.locale, ctx.now)
    return Rendered(text, freshness_keyboard(initiative.id))


@message_kind(MEMBER_JOINED)
async def render_member_joined(ctx: RenderContext, params: MemberJoinedParams) -> Rendered | None:
    initiative = await _for_member(ctx, params["initiative_id"])
    if initiative is None:
        return None
    member = await ctx.repo.users.get(int(params["member_id"]))
    if member is None or await ctx.repo.initiatives.member(initiative.id, member.id) is None:
        return None  # they left again, or erased their data
    return Rendered(
        _("👋 {who} joined <b>{name}</b> through your invitation. See /mine.").format(
            who=html.escape(member.first_name or "…"), name=html.escape(initiative.name)
        )
    )


@message_kind(MODERATED)
async def render_moderated(ctx: RenderContext, params: ModeratedParams) -> Rendered | None:
    initiative = await _for_member(ctx, params["initiative_id"])
    if initiative is None or initiative.is_hidden != bool(params.get("hidden")):
        return None
    name = html.escape(initiative.name)
    if initiative.is_hidden:
        text = _(
            "A coordinator has hidden the profile of <b>{name}</b>. "
            "If you think this is a mistake, please contact the coordinators."
        )
    else:
        text = _("The profile of <b>{name}</b> is no longer hidden.")
    return Rendered(text.format(name=name))
