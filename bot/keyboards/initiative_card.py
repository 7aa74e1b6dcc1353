"""Buttons of a member's initiatives: the list, the card, the field picker, confirmations,
members, and the "Klopt dit nog?" answers."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import InitiativeAction, InitiativeCallback, MenuAction, MenuCallback
from bot.keyboards.initiatives import FIELD_LABELS, back_label
from bot.paging import Page, nav_row, page_of
from bot.services.initiatives.fields import STEPS
from bot.services.initiatives.profiles import Membership
from storage.models import Initiative, InitiativeMember, MemberRole, User


def my_list_keyboard(memberships: list[Membership], page: int = 0) -> InlineKeyboardMarkup:
    """A button per initiative, a page at a time, and "new initiative"."""
    shown = page_of(memberships, page)
    rows = [
        [
            InlineKeyboardButton(
                text=_plain(list_line(membership.initiative)),
                callback_data=InitiativeCallback(
                    action=InitiativeAction.OPEN, id=membership.initiative.id
                ).pack(),
            )
        ]
        for membership in shown.items
    ]
    nav = nav_row(
        shown.number,
        shown.total,
        lambda n: MenuCallback(action=MenuAction.MY_INITIATIVES_PAGE, page=n).pack(),
    )
    if nav:
        rows.append(nav)
    new = _("➕ New initiative")
    rows.append(
        [
            InlineKeyboardButton(
                text=new, callback_data=MenuCallback(action=MenuAction.NEW_INITIATIVE).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _plain(html_text: str) -> str:
    return html.unescape(html_text)


def card_keyboard(membership: Membership) -> InlineKeyboardMarkup:
    initiative = membership.initiative
    builder = InlineKeyboardBuilder()
    ident = initiative.id
    builder.button(
        text=_("✏️ Edit"), callback_data=InitiativeCallback(action=InitiativeAction.EDIT, id=ident)
    )
    builder.button(
        text=_("👥 Members"),
        callback_data=InitiativeCallback(action=InitiativeAction.MEMBERS, id=ident),
    )
    sizes = [2]
    if initiative.is_published:
        builder.button(
            text=_("🔒 Take offline"),
            callback_data=InitiativeCallback(action=InitiativeAction.UNPUBLISH, id=ident),
        )
        sizes.append(1)
    elif not initiative.is_hidden and initiative.draft_step is None:
        builder.button(
            text=_("🌍 Publish"),
            callback_data=InitiativeCallback(action=InitiativeAction.PUBLISH, id=ident),
        )
        sizes.append(1)
    if membership.is_owner:
        builder.button(
            text=_("🗑 Delete"),
            callback_data=InitiativeCallback(action=InitiativeAction.DELETE, id=ident),
        )
    builder.button(
        text=_("🚪 Leave"),
        callback_data=InitiativeCallback(action=InitiativeAction.LEAVE, id=ident),
    )
    sizes.append(2 if membership.is_owner else 1)
    builder.button(
        text=_("⬅️ My initiatives"), callback_data=MenuCallback(action=MenuAction.MY_INITIATIVES)
    )
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def field_picker(initiative_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for field in STEPS:
        builder.button(
            text=_(FIELD_LABELS[field]),
            callback_data=InitiativeCallback(
                action=InitiativeAction.FIELD, id=initiative_id, value=field.value
            ),
        )
    builder.button(
        text=back_label(),
        callback_data=InitiativeCallback(action=InitiativeAction.OPEN, id=initiative_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def confirm_keyboard(
    initiative_id: int, yes_action: InitiativeAction, yes_label: str, no_label: str
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=yes_label, callback_data=InitiativeCallback(action=yes_action, id=initiative_id)
    )
    builder.button(
        text=no_label,
        callback_data=InitiativeCallback(action=InitiativeAction.OPEN, id=initiative_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def members_keyboard(
    initiative_id: int, members: Page[tuple[InitiativeMember, User]], *, is_owner: bool
) -> InlineKeyboardMarkup:
    """[Invite], [Make … owner] for the members on this page, ◀ n/m ▶, [Back]."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("➕ Invite someone"),
        callback_data=InitiativeCallback(action=InitiativeAction.INVITE, id=initiative_id),
    )
    if is_owner:
        for member, user in members.items:
            if member.role != MemberRole.OWNER:
                builder.button(
                    text=_("👑 Make {name} owner").format(name=user.first_name),
                    callback_data=InitiativeCallback(
                        action=InitiativeAction.MAKE_OWNER,
                        id=initiative_id,
                        value=str(member.user_id),
                    ),
                )
    builder.adjust(1)
    nav = nav_row(
        members.number,
        members.total,
        lambda n: InitiativeCallback(
            action=InitiativeAction.MEMBERS, id=initiative_id, value=str(n)
        ).pack(),
    )
    if nav:
        builder.row(*nav)
    builder.row(
        InlineKeyboardButton(
            text=back_label(),
            callback_data=InitiativeCallback(action=InitiativeAction.OPEN, id=initiative_id).pack(),
        )
    )
    return builder.as_markup()


def freshness_keyboard(initiative_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ It's right"),
        callback_data=InitiativeCallback(action=InitiativeAction.FRESH, id=initiative_id),
    )
    builder.button(
        text=_("✏️ Change"),
        callback_data=InitiativeCallback(action=InitiativeAction.EDIT, id=initiative_id),
    )
    builder.adjust(2)
    return builder.as_markup()


def after_publish_keyboard(initiative_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("➕ Invite a co-member"),
        callback_data=InitiativeCallback(action=InitiativeAction.INVITE, id=initiative_id),
    )
    builder.button(
        text=_("🏠 My initiatives"), callback_data=MenuCallback(action=MenuAction.MY_INITIATIVES)
    )
    builder.adjust(1)
    return builder.as_markup()


def list_line(initiative: Initiative) -> str:
    """An initiative as a button in a member's list: its state, name and municipality."""
    icon = {"published": "🟢", "hidden": "🚫"}.get(initiative.status, "🔒")
    place = f" ({html.escape(initiative.municipality)})" if initiative.municipality else ""
    return f"{icon} {html.escape(initiative.name or '…')}{place}"
