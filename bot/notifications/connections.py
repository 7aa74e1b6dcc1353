"""Messages of relayed conversations, rendered at send time: the first message and replies
(urgent, so a conversation is not held until morning), a shared contact, a polite no, and a
report for the coordinators. Nothing names a side until it shared its contact."""

from __future__ import annotations

import html

from bot.i18n import _
from bot.keyboards.connections import ban_keyboard, relay_keyboard
from bot.notifications.registry import RenderContext, Rendered, message_kind
from bot.services.connections import introductions as intro
from bot.services.message_params import (
    ContactParams,
    PassOnParams,
    ThreadMessageParams,
    ThreadParams,
)
from bot.views.initiative_card import public_contact_lines
from storage.models import Initiative, IntroThread, ThreadStatus, User

_TRANSCRIPT_MESSAGES = 10
_TRANSCRIPT_CHARS = 400


async def _open_thread(ctx: RenderContext, thread_id: int) -> tuple[IntroThread, Initiative] | None:
    thread = await ctx.repo.connections.thread(thread_id)
    if thread is None or thread.status == ThreadStatus.CLOSED or ctx.recipient is None:
        return None
    initiative = await ctx.repo.initiatives.get(thread.initiative_id)
    if initiative is None:
        return None
    if ctx.recipient.id != thread.sender_id and (
        await ctx.repo.initiatives.member(initiative.id, ctx.recipient.id) is None
    ):
        return None  # left the initiative since the message was queued
    return thread, initiative


def _quote(text: str) -> str:
    return f"<blockquote>{html.escape(text)}</blockquote>"


def who(user: User) -> str:
    """A person as shown once they agreed: name and @username (else a link to their chat)."""
    name = html.escape(user.first_name or "…")
    if user.username:
        return f"{name} (@{html.escape(user.username)})"
    return f'<a href="tg://user?id={user.id}">{name}</a>'


def _hint() -> str:
    return _(
        "Tap ↩️ Reply or simply reply to this message. Names and Telegram accounts stay "
        "hidden until someone taps 🤝 Share my contact."
    )


@message_kind(intro.REQUEST, urgent=True)
async def render_request(ctx: RenderContext, params: ThreadMessageParams) -> Rendered | None:
    found = await _open_thread(ctx, params["thread_id"])
    message = await ctx.repo.connections.message(int(params["message_id"]))
    if found is None or message is None:
        return None
    thread, initiative = found
    writer = await ctx.repo.initiatives.get(thread.as_initiative_id or 0)
    if writer is not None:
        text = _("✉️ <b>A message for {name}</b>\nSomeone of <b>{other}</b> writes:").format(
            name=html.escape(initiative.name), other=html.escape(writer.name)
        )
    else:
        text = _(
            "✉️ <b>A message for {name}</b>\nSomeone who found you in Samenspel writes:"
        ).format(name=html.escape(initiative.name))
    text += f"\n{_quote(message.text)}\n{_hint()}"
    keyboard = relay_keyboard(thread.id, to_initiative=True, first=True)
    return Rendered(text, keyboard)


@message_kind(intro.MESSAGE, urgent=True)
async def render_message(ctx: RenderContext, params: ThreadMessageParams) -> Rendered | None:
    found = await _open_thread(ctx, params["thread_id"])
    message = await ctx.repo.connections.message(int(params["message_id"]))
    if found is None or message is None:
        return None
    thread, initiative = found
    name = html.escape(initiative.name)
    if message.from_initiative:
        text = _("💬 <b>{name}</b> answers:").format(name=name)
    else:
        text = _("💬 New message for <b>{name}</b>:").format(name=name)
    text += f"\n{_quote(message.text)}"
    keyboard = relay_keyboard(thread.id, to_initiative=not message.from_initiative, first=False)
    return Rendered(text, keyboard)


@message_kind(intro.ANSWERED)
async def render_answered(ctx: RenderContext, params: ThreadMessageParams) -> Rendered | None:
    found = await _open_thread(ctx, params["thread_id"])
    message = await ctx.repo.connections.message(int(params["message_id"]))
    if found is None or message is None or message.author_id is None:
        return None
    _thread, initiative = found
    author = await ctx.repo.users.get(message.author_id)
    text = _("✅ {who} already answered the message to <b>{name}</b>:").format(
        who=html.escape(author.first_name if author else "…"), name=html.escape(initiative.name)
    )
    return Rendered(f"{text}\n{_quote(message.text)}")


@message_kind(intro.PASS_ON)
async def render_pass_on(ctx: RenderContext, params: PassOnParams) -> Rendered | None:
    initiative = await ctx.repo.initiatives.get(int(params["initiative_id"]))
    sender = await ctx.repo.users.get(int(params["sender_id"]))
    if initiative is None or sender is None:
        return None  # the initiative is gone, or the sender erased their data
    text = _(
        "📨 <b>Please pass this on to {name}</b>. Nobody of this initiative uses Samenspel "
        "yet. {who} writes:"
    ).format(name=html.escape(initiative.name), who=who(sender))
    lines = [text, _quote(str(params["text"]))]
    lines.extend(public_contact_lines(initiative))
    return Rendered("\n".join(lines))


@message_kind(intro.CONTACT, urgent=True)
async def render_contact(ctx: RenderContext, params: ContactParams) -> Rendered | None:
    found = await _open_thread(ctx, params["thread_id"])
    person = await ctx.repo.users.get(int(params["user_id"]))
    if found is None or person is None:
        return None
    thread, initiative = found
    name = html.escape(initiative.name)
    if person.id == thread.sender_id:
        text = _("🤝 The person who wrote to <b>{name}</b> shared their contact: {who}").format(
            name=name, who=who(person)
        )
    else:
        text = _("🤝 {who} of <b>{name}</b> shared their contact.").format(
            name=name, who=who(person)
        )
        text = "\n".join([text, *public_contact_lines(initiative)])
    return Rendered(text)


@message_kind(intro.DECLINED, urgent=True)
async def render_declined(ctx: RenderContext, params: ThreadParams) -> Rendered | None:
    found = await _open_thread(ctx, params["thread_id"])
    if found is None:
        return None
    _thread, initiative = found
    return Rendered(
        _(
            "<b>{name}</b> can't help you with this right now and has closed the conversation. "
            "Perhaps another initiative can: search again, or ask a question with /ask."
        ).format(name=html.escape(initiative.name))
    )


@message_kind(intro.REPORT)
async def render_report(ctx: RenderContext, params: ThreadParams) -> Rendered | None:
    thread = await ctx.repo.connections.thread(int(params["thread_id"]))
    if thread is None:
        return None
    initiative = await ctx.repo.initiatives.get(thread.initiative_id)
    name = html.escape(initiative.name if initiative else "…")
    if thread.reported_side == "sender":
        text = _("⚠️ <b>Report</b>: the person who wrote to {name} reported the conversation.")
    else:
        text = _("⚠️ <b>Report</b>: {name} reported a message someone sent them.")
    lines = [text.format(name=name), _("Conversation #{id}:").format(id=thread.id)]
    messages = list(await ctx.repo.connections.messages(thread.id))[-_TRANSCRIPT_MESSAGES:]
    for message in messages:
        label = _("🏠 Initiative") if message.from_initiative else _("👤 Sender")
        lines.append(f"{label}: {html.escape(message.text[:_TRANSCRIPT_CHARS])}")
    return Rendered("\n".join(lines), ban_keyboard(thread.id))


from bot.notifications import connections_peers  # noqa: E402,F401  (questions, meetups)
