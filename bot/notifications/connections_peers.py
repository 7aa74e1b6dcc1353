"""Messages of questions to peers (not urgent: they wait for the end of quiet hours) and of
themed-meetup proposals and invitations, rendered at send time."""

from __future__ import annotations

import html
from datetime import timedelta

from bot.catalog.themes import THEMES
from bot.dates import format_span
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import EventAction, EventCallback
from bot.keyboards.connections import (
    answer_keyboard,
    consent_keyboard,
    question_keyboard,
)
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.connections import meetups
from bot.services.connections import peer_questions as peers
from bot.services.message_params import (
    AnswerParams,
    ProposalListParams,
    ProposalParams,
    QuestionParams,
    TableParams,
)
from bot.views.meetups import proposal_view, proposals_list_view
from storage.models import EventStatus, ProposalStatus


def _theme(slug: str, locale: str) -> str:
    label = THEMES.get(slug)
    return html.escape(label.label(locale) if label else slug)


def _quote(text: str) -> str:
    return f"<blockquote>{html.escape(text)}</blockquote>"


@message_kind(peers.QUESTION, grace=timedelta(days=7))
async def render_question(ctx: RenderContext, params: QuestionParams) -> Rendered | None:
    question = await ctx.repo.connections.question(int(params["question_id"]))
    if question is None or ctx.recipient is None:
        return None
    recipient = await ctx.repo.connections.recipient(question.id, ctx.recipient.id)
    if recipient is None or recipient.declined:
        return None
    text = _(
        "🙋 <b>A question about {theme}</b>\n"
        "Someone in Samenspel asks the initiatives that offered to help:"
    ).format(theme=_theme(question.theme, ctx.locale))
    text += (
        "\n"
        + _quote(question.text)
        + "\n"
        + _(
            "Can you answer? Tap ✍️ Answer or simply reply to this message. "
            "Your answer goes back with the name of your initiative, not yours."
        )
    )
    return Rendered(text, question_keyboard(question.id))


@message_kind(peers.ANSWER, grace=timedelta(days=14))
async def render_answer(ctx: RenderContext, params: AnswerParams) -> Rendered | None:
    answer = await ctx.repo.connections.answer(int(params["answer_id"]))
    question = await ctx.repo.connections.question(answer.question_id) if answer else None
    if answer is None or question is None:
        return None
    initiative = (
        await ctx.repo.initiatives.get(answer.initiative_id) if answer.initiative_id else None
    )
    if initiative is not None:
        head = _("💡 <b>An answer to your question</b> from someone of <b>{name}</b>:").format(
            name=html.escape(initiative.name)
        )
    else:
        head = _("💡 <b>An answer to your question</b>:")
    text = (
        head
        + "\n"
        + _quote(answer.text)
        + "\n"
        + _("Your question: {question}").format(
            question=f"<i>{html.escape(question.text[:300])}</i>"
        )
    )
    keyboard = None if question.helpful_answer_id is not None else answer_keyboard(answer.id)
    return Rendered(text, keyboard)


@message_kind(peers.ANSWERED_BY_COLLEAGUE, grace=timedelta(days=7))
async def render_answered_by_colleague(ctx: RenderContext, params: AnswerParams) -> Rendered | None:
    answer = await ctx.repo.connections.answer(int(params["answer_id"]))
    question = await ctx.repo.connections.question(answer.question_id) if answer else None
    if answer is None or question is None:
        return None
    author = await ctx.repo.users.get(answer.author_id)
    initiative = (
        await ctx.repo.initiatives.get(answer.initiative_id) if answer.initiative_id else None
    )
    text = _(
        "✅ {who} of <b>{name}</b> already answered the question about {theme}. "
        "You don't need to do anything."
    ).format(
        who=html.escape(author.first_name if author else "…"),
        name=html.escape(initiative.name if initiative else "…"),
        theme=_theme(question.theme, ctx.locale),
    )
    return Rendered(text + "\n" + _quote(answer.text))


@message_kind(peers.THANKS, grace=timedelta(days=14))
async def render_thanks(ctx: RenderContext, params: AnswerParams) -> Rendered | None:
    answer = await ctx.repo.connections.answer(int(params["answer_id"]))
    question = await ctx.repo.connections.question(answer.question_id) if answer else None
    if answer is None or question is None:
        return None
    text = _(
        "👍 Your answer to the question about {theme} helped! May we add the question and "
        "your answer to the knowledge base, without any names, so others can find it too?"
    ).format(theme=_theme(question.theme, ctx.locale))
    return Rendered(text, consent_keyboard("c", answer.id))


@message_kind(meetups.PROPOSAL, grace=timedelta(days=20))
async def render_proposal(ctx: RenderContext, params: ProposalParams) -> Rendered | None:
    proposal = await ctx.repo.knowledge.proposal(int(params["proposal_id"]))
    if proposal is None or proposal.status != ProposalStatus.PROPOSED:
        return None
    found = await ctx.repo.knowledge.initiatives(list(proposal.initiative_ids))
    return Rendered(*proposal_view(proposal, found, ctx.locale))


@message_kind(meetups.PROPOSALS, grace=timedelta(days=20))
async def render_proposals(ctx: RenderContext, params: ProposalListParams) -> Rendered | None:
    """Several proposals as one list; those decided on meanwhile are left out."""
    proposals = await meetups.open_proposals(ctx.repo, [int(i) for i in params["proposal_ids"]])
    if not proposals:
        return None
    if len(proposals) == 1:
        found = await ctx.repo.knowledge.initiatives(list(proposals[0].initiative_ids))
        return Rendered(*proposal_view(proposals[0], found, ctx.locale))
    return Rendered(*proposals_list_view(proposals, ctx.locale))


@message_kind(meetups.INVITE, grace=timedelta(days=7))
async def render_invite(ctx: RenderContext, params: TableParams) -> Rendered | None:
    event = await ctx.repo.events.get(int(params["event_id"]))
    if event is None or event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        return None
    if event.starts_at <= ctx.now:
        return None
    when = format_span(event.starts_at, event.ends_at, ctx.locale, ctx.settings.tz)
    text = _(
        "📍 <b>You're invited: {title}</b>\n"
        "Meet other initiatives working on {theme} near you. {when}, {venue}."
    ).format(
        title=html.escape(event.title),
        theme=_theme(event.theme or "", ctx.locale),
        when=when,
        venue=html.escape(event.venue),
    )
    if event.status != EventStatus.PUBLISHED:
        text += "\n" + _("Signing up opens soon: you'll find it under /agenda.")
        return Rendered(text)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("📅 View and sign up"),
        callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id),
    )
    return Rendered(text, builder.as_markup())
