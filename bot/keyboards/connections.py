"""Buttons of connecting initiatives: relayed conversations, questions to peers, the
knowledge base and themed-meetup proposals."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import (
    IntroAction,
    IntroCallback,
    KnowledgeAction,
    KnowledgeCallback,
    MeetupProposalAction,
    MeetupProposalCallback,
    PeerAction,
    PeerCallback,
)
from bot.keyboards.menu import with_menu_button
from bot.keyboards.search import similar_button
from bot.paging import Page, nav_row, page_of
from bot.services.connections.knowledge import ARTICLE_FIELDS


def cancel_keyboard(action: str = "cancel") -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✖️ Cancel"), callback_data=IntroCallback(action=action, id=0))
    return builder.as_markup()


def relay_keyboard(thread_id: int, *, to_initiative: bool, first: bool) -> InlineKeyboardMarkup:
    """[Reply] [Share my contact], for the initiative's members also [Decline] on the first
    message, and [Report] (members: [Block] too)."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("↩️ Reply"), callback_data=IntroCallback(action=IntroAction.REPLY, id=thread_id)
    )
    builder.button(
        text=_("🤝 Share my contact"),
        callback_data=IntroCallback(action=IntroAction.SHARE, id=thread_id),
    )
    sizes = [2]
    if to_initiative and first:
        builder.button(
            text=_("🙅 Decline"),
            callback_data=IntroCallback(action=IntroAction.DECLINE, id=thread_id),
        )
        sizes.append(1)
    builder.button(
        text=_("⚠️ Report"), callback_data=IntroCallback(action=IntroAction.REPORT, id=thread_id)
    )
    if to_initiative:
        builder.button(
            text=_("🚫 Block"), callback_data=IntroCallback(action=IntroAction.BLOCK, id=thread_id)
        )
        sizes.append(2)
    else:
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def ban_keyboard(thread_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🚫 Block this sender everywhere"),
        callback_data=IntroCallback(action=IntroAction.BAN, id=thread_id),
    )
    return builder.as_markup()


def theme_picker(
    themes: Iterable[str], locale: str, action: str, *, ticked: Iterable[str] = (), ident: int = 0
) -> InlineKeyboardMarkup:
    """One button per theme (two per row), ticked ones with ✓, and a close/cancel button."""
    chosen = set(ticked)
    builder = InlineKeyboardBuilder()
    for slug in themes:
        label = THEMES[slug].label(locale)
        builder.button(
            text=f"✓ {label}" if slug in chosen else label,
            callback_data=PeerCallback(action=action, id=ident, value=slug),
        )
    if action == PeerAction.OFFER:
        done = PeerCallback(action=PeerAction.OFFERS_DONE, id=ident)
        builder.button(text=_("✅ Done"), callback_data=done)
    else:
        builder.button(
            text=_("✖️ Cancel"), callback_data=PeerCallback(action=PeerAction.CLOSE, id=ident)
        )
    builder.adjust(2)
    return builder.as_markup()


def question_keyboard(question_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✍️ Answer"), callback_data=PeerCallback(action=PeerAction.ANSWER, id=question_id)
    )
    builder.button(
        text=_("🙅 Can't help"), callback_data=PeerCallback(action=PeerAction.SKIP, id=question_id)
    )
    builder.adjust(2)
    return builder.as_markup()


def answer_keyboard(answer_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("👍 This helped me"),
        callback_data=PeerCallback(action=PeerAction.HELPFUL, id=answer_id),
    )
    return builder.as_markup()


def consent_keyboard(kind: str, ident: int) -> InlineKeyboardMarkup:
    """Yes / no to adding a question and answer (without names) to the knowledge base."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ Yes, share it"), callback_data=PeerCallback(action=f"{kind}yes", id=ident)
    )
    builder.button(text=_("No, thanks"), callback_data=PeerCallback(action=f"{kind}no", id=ident))
    builder.adjust(2)
    return builder.as_markup()


def initiatives_picker(choices: list[tuple[int, str]], action: str) -> InlineKeyboardMarkup:
    """A button per initiative; one still without a name (a draft) says so."""
    builder = InlineKeyboardBuilder()
    for ident, name in choices:
        label = " ".join(name.split()) or _("(no name yet)")
        builder.button(text=label[:60], callback_data=PeerCallback(action=action, id=ident))
    builder.adjust(1)
    return builder.as_markup()


def articles_keyboard(
    articles: list[tuple[int, str]], page: int = 0, *, paged: bool = False
) -> InlineKeyboardMarkup:
    """A button per article; with `paged`, a page at a time with ◀ n/m ▶ under it."""
    shown = page_of(articles, page) if paged else Page(articles, 0, 1)
    builder = InlineKeyboardBuilder()
    for ident, title in shown.items:
        builder.button(
            text=f"📄 {title}",
            callback_data=KnowledgeCallback(action=KnowledgeAction.OPEN, id=ident),
        )
    builder.adjust(1)
    nav = nav_row(
        shown.number,
        shown.total,
        lambda n: KnowledgeCallback(action=KnowledgeAction.LIST, value=str(n)).pack(),
    )
    if nav:
        builder.row(*nav)
    return builder.as_markup()


def article_admin_keyboard(article_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✏️ Edit"),
        callback_data=KnowledgeCallback(action=KnowledgeAction.EDIT, id=article_id),
    )
    builder.button(
        text=_("🗑 Remove"),
        callback_data=KnowledgeCallback(action=KnowledgeAction.DEL, id=article_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def article_fields_keyboard(article_id: int, labels: dict[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for field in ARTICLE_FIELDS:
        builder.button(
            text=labels[field],
            callback_data=KnowledgeCallback(
                action=KnowledgeAction.FIELD, id=article_id, value=field
            ),
        )
    builder.button(
        text=_("⬅️ Back"),
        callback_data=KnowledgeCallback(action=KnowledgeAction.OPEN, id=article_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def confirm_remove_keyboard(article_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🗑 Yes, remove"),
        callback_data=KnowledgeCallback(action=KnowledgeAction.DELYES, id=article_id),
    )
    builder.button(
        text=_("Keep it"),
        callback_data=KnowledgeCallback(action=KnowledgeAction.OPEN, id=article_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def save_article_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✅ Save"), callback_data=KnowledgeCallback(action=KnowledgeAction.SAVE))
    builder.button(
        text=_("✖️ Cancel"), callback_data=KnowledgeCallback(action=KnowledgeAction.CANCEL)
    )
    builder.adjust(2)
    return builder.as_markup()


def kb_cancel_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✖️ Cancel"), callback_data=KnowledgeCallback(action=KnowledgeAction.CANCEL)
    )
    return builder.as_markup()


def proposal_keyboard(proposal_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("📅 Create meetup and invite"),
        callback_data=MeetupProposalCallback(action=MeetupProposalAction.CREATE, id=proposal_id),
    )
    builder.button(
        text=_("Not now"),
        callback_data=MeetupProposalCallback(action=MeetupProposalAction.DISMISS, id=proposal_id),
    )
    builder.adjust(1)
    return builder.as_markup()


def publish_keyboard(proposal_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("🌍 Publish now"),
        callback_data=MeetupProposalCallback(action=MeetupProposalAction.PUBLISH, id=proposal_id),
    )
    return builder.as_markup()


def peer_cancel_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✖️ Cancel"), callback_data=PeerCallback(action=PeerAction.CLOSE))
    return builder.as_markup()


def writer_keyboard(own: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """Write as oneself, or on behalf of one of one's initiatives."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("👤 Me myself"), callback_data=IntroCallback(action=IntroAction.AS, id=0))
    for ident, name in own:
        builder.button(
            text=f"🏠 {name}", callback_data=IntroCallback(action=IntroAction.AS, id=ident)
        )
    builder.button(text=_("✖️ Cancel"), callback_data=IntroCallback(action=IntroAction.CANCEL, id=0))
    builder.adjust(1)
    return builder.as_markup()


def cancel_markup() -> InlineKeyboardMarkup:
    return peer_cancel_keyboard()


def refusal_keyboard(initiative_id: int, no_members: bool) -> InlineKeyboardMarkup:
    """Where [Contact] can't go on: what to do next (for an initiative without members, the
    coordinators passing a message on and initiatives like it), and the menu."""
    rows: list[list[InlineKeyboardButton]] = []
    if no_members:
        pass_on = IntroCallback(action=IntroAction.PASS_ON, id=initiative_id).pack()
        ask = InlineKeyboardButton(text=_("📨 Ask the coordinators"), callback_data=pass_on)
        rows.append([ask])
        rows.append([similar_button(initiative_id)])
    return with_menu_button(InlineKeyboardMarkup(inline_keyboard=rows))
