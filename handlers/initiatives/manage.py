"""/mijn and /profiel: the member's own initiatives, the card with its buttons (edit, publish,
take offline, delete), the "Klopt dit nog?" answers, and `?start=i_<id>` links to a card."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.deeplinks import deep_link
from bot.handler_data import HandlerData
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards import search as search_keys
from bot.keyboards.callbacks import InitiativeAction, InitiativeCallback, MenuAction, MenuCallback
from bot.keyboards.confirm import ask_to_confirm
from bot.keyboards.menu import with_menu_button
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.profiles import (
    Membership,
    NotAnOwnerError,
)
from bot.views.initiative_card import card_text, member_card_text
from bot.views.messages import edit_or_keep
from storage.models import User
from storage.repositories import Repo


def not_yours_text() -> str:
    return _("This initiative doesn't exist any more, or you are no longer a member.")


async def _show_list(
    message: Message, user: User, repo: Repo, page: int = 0, *, edit: bool = False
) -> None:
    memberships = await initiatives.my_initiatives(repo, user.id)
    if memberships:
        text = _("<b>Your initiatives</b>\nTap one to see or change it.")
    else:
        text = _(
            "You don't have an initiative in Samenspel yet. Want to add one? "
            "It takes about three minutes."
        )
    keyboard = cards.my_list_keyboard(memberships, page)
    if edit:
        await edit_or_keep(message, text, keyboard)
    else:
        await message.answer(text, reply_markup=keyboard)


def card_view(membership: Membership, locale: str, clock: Clock, user: User) -> str:
    text = member_card_text(membership.initiative, locale, clock.now())
    if user.is_coordinator:
        text += f"\n#{membership.initiative.id}"
    return text


async def cmd_mine(
    message: Message, command: CommandObject, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """The list of the user's initiatives; `/profiel <number>` opens one card directly."""
    argument = (command.args or "").strip().lstrip("#")
    if argument.isdigit():
        await _open_card(message, int(argument), user, repo, locale, clock)
        return
    await _show_list(message, user, repo)


async def cb_menu_mine(
    query: CallbackQuery, callback_data: MenuCallback, user: User, repo: Repo
) -> None:
    """The menu's "My initiatives" button; ◀ ▶ turn the list's pages in place."""
    await query.answer()
    if isinstance(query.message, Message):
        turning = callback_data.action == MenuAction.MY_INITIATIVES_PAGE
        await _show_list(query.message, user, repo, callback_data.page, edit=turning)


async def _open_card(
    message: Message, initiative_id: int, user: User, repo: Repo, locale: str, clock: Clock
) -> bool:
    found = await initiatives.open_public(repo, initiative_id, user.id)
    if found is None:
        await message.answer(
            _("I can't find that initiative: it may have been taken offline or deleted."),
            reply_markup=with_menu_button(),
        )
        return False
    await _show_found(message, found, user, locale, clock)
    return True


async def _show_found(
    message: Message, found: Membership, user: User, locale: str, clock: Clock
) -> None:
    if found.role:
        await message.answer(
            card_view(found, locale, clock, user), reply_markup=cards.card_keyboard(found)
        )
    else:
        text = card_text(found.initiative, locale, clock.now())
        if user.is_coordinator:
            text += f"\n#{found.initiative.id}"
        await message.answer(text, reply_markup=search_keys.card_keyboard(found.initiative))


@deep_link("i_")
async def open_initiative_link(message: Message, argument: str, data: HandlerData) -> bool | str:
    """`?start=i_<id>` opens the card of that initiative."""
    if not argument.isdigit():
        return False
    found = await initiatives.open_public(data["repo"], int(argument), data["user"].id)
    if found is None:
        return _("I can't find that initiative: it may have been taken offline or deleted.")
    await _show_found(message, found, data["user"], data["locale"], data["clock"])
    return True


async def cb_publish_confirmed(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """[Yes, publish]: the profile goes public; the card shows it."""
    await initiatives.publish(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(_("Published."))
    await _show_card(query, callback_data.id, user, repo, locale, clock)


async def cb_unpublish(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """[Take offline], confirmed: the profile is private again; the card shows it."""
    if callback_data.action == InitiativeAction.UNPUBLISH:
        sure = callback_data.model_copy(update={"action": InitiativeAction.UNPUBLISH_CONFIRMED})
        await ask_to_confirm(query, _("Yes, take it offline"), sure)
        return
    await initiatives.unpublish(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(_("Taken offline."))
    await _show_card(query, callback_data.id, user, repo, locale, clock)


async def cb_delete_confirmed(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[Yes, delete]: the profile is gone; the message says so."""
    try:
        name = await initiatives.delete(repo, callback_data.id, user.id, now=clock.now())
    except NotAnOwnerError:
        await query.answer(_("Only owners can delete an initiative."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _("🗑 <b>{name}</b> has been deleted.").format(name=html.escape(name)),
            reply_markup=with_menu_button(),
        )


async def cb_confirm_fresh(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo, clock: Clock
) -> None:
    """[It's right] on "Klopt dit nog?": the profile counts as up to date again."""
    initiative = await initiatives.confirm_fresh(repo, callback_data.id, user.id, now=clock.now())
    await query.answer(_("Thank you!"))
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _("✅ Thanks for checking! <b>{name}</b> is marked as up to date.").format(
                name=html.escape(initiative.name)
            )
        )


async def cb_open(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """Opens the member's card (also [Back] and [Not now])."""
    membership = await initiatives.open_as_member(repo, callback_data.id, user.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            card_view(membership, locale, clock, user),
            reply_markup=cards.card_keyboard(membership),
        )


async def cb_edit(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Edit]: the list of fields to change."""
    await initiatives.open_as_member(repo, callback_data.id, user.id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=cards.field_picker(callback_data.id))


async def cb_publish(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Publish]: asks for consent first."""
    question = _(
        "<b>Publish {name}?</b>\nThen everyone can see this profile in Samenspel. "
        "You can take it offline again at any time."
    )
    yes = (InitiativeAction.PUBLISH_CONFIRMED, _("✅ Yes, publish"), _("Not now"))
    await _ask_to_confirm(query, callback_data.id, user, repo, question, *yes)


async def cb_delete(
    query: CallbackQuery, callback_data: InitiativeCallback, user: User, repo: Repo
) -> None:
    """[Delete]: asks to confirm first."""
    question = _("<b>Delete {name}?</b>\nThe profile and its members list are removed for good.")
    yes = (InitiativeAction.DELETE_CONFIRMED, _("🗑 Yes, delete"), _("Keep it"))
    await _ask_to_confirm(query, callback_data.id, user, repo, question, *yes)


async def _ask_to_confirm(
    query: CallbackQuery, ident: int, user: User, repo: Repo, question: str,
    yes_action: InitiativeAction, yes_label: str, no_label: str,
) -> None:  # fmt: skip
    """Replaces the card by a question about it, with [yes] and [no] (back to the card)."""
    membership = await initiatives.open_as_member(repo, ident, user.id)
    await query.answer()
    if isinstance(query.message, Message):
        keyboard = cards.confirm_keyboard(ident, yes_action, yes_label, no_label)
        name = html.escape(membership.initiative.name)
        await query.message.edit_text(question.format(name=name), reply_markup=keyboard)


async def _show_card(
    query: CallbackQuery, ident: int, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    membership = await initiatives.open_as_member(repo, ident, user.id)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            card_view(membership, locale, clock, user), reply_markup=cards.card_keyboard(membership)
        )


def create_router() -> Router:
    router = Router(name="initiatives_manage")
    router.message.register(cmd_mine, Command("mijn", "mine", "profiel", "profile"))
    router.callback_query.register(
        cb_menu_mine,
        MenuCallback.filter(
            F.action.in_((MenuAction.MY_INITIATIVES, MenuAction.MY_INITIATIVES_PAGE))
        ),
    )
    card = InitiativeCallback.filter
    router.callback_query.register(cb_open, card(F.action == InitiativeAction.OPEN))
    router.callback_query.register(cb_edit, card(F.action == InitiativeAction.EDIT))
    router.callback_query.register(cb_publish, card(F.action == InitiativeAction.PUBLISH))
    router.callback_query.register(
        cb_publish_confirmed, card(F.action == InitiativeAction.PUBLISH_CONFIRMED)
    )
    router.callback_query.register(
        cb_unpublish,
        card(F.action.in_({InitiativeAction.UNPUBLISH, InitiativeAction.UNPUBLISH_CONFIRMED})),
    )
    router.callback_query.register(cb_delete, card(F.action == InitiativeAction.DELETE))
    router.callback_query.register(
        cb_delete_confirmed, card(F.action == InitiativeAction.DELETE_CONFIRMED)
    )
    router.callback_query.register(cb_confirm_fresh, card(F.action == InitiativeAction.FRESH))
    return router
